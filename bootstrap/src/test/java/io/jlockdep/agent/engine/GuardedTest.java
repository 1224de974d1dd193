package io.jlockdep.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jlockdep.agent.engine.Fixture.Lock;
import io.jlockdep.api.LockdepViolationError;
import io.jlockdep.api.Rules;
import io.jlockdep.api.Violation;
import org.junit.jupiter.api.Test;

/**
 * {@link Lockdep#guarded}: a member's lock contract, checked against the held-lock stack. One
 * triggering and one clean test per rule.
 */
class GuardedTest {

    static final String JSR305 = "@javax.annotation.concurrent.GuardedBy";
    static final GuardRule ENTRIES = new GuardRule(GuardRule.Kind.FIELD, "com.example.Cache.entries", "lock", JSR305);
    static final GuardRule EVICT = new GuardRule(
            GuardRule.Kind.HOLDING,
            "com.example.Cache.evict()",
            "this",
            "@org.checkerframework.checker.lock.qual.Holding");

    final Fixture f = new Fixture();
    final LockClass mutex = f.cls("Cache.lock");
    final LockClass rw = f.cls("Cache.rw", LockClass.Kind.RWLOCK);
    final Lock lock = new Lock("cache.lock");

    @Test
    void accessesWithTheLockHeldAreSilent() {
        f.lock(lock, mutex);
        f.engine.guarded(ENTRIES, lock, false, 1, null);
        f.engine.guarded(ENTRIES, lock, true, 2, null);
        f.engine.guarded(EVICT, lock, false, 3, null);
        f.unlock(lock, mutex);
        assertThat(f.reported).isEmpty();
    }

    @Test
    void aReadWithoutTheLockIsReportedWithTheContract() {
        Lock other = new Lock("other");
        LockClass otherClass = f.cls("Other");
        f.lock(other, otherClass);
        f.engine.guarded(ENTRIES, lock, false, 7, null);
        f.unlock(other, otherClass);
        assertThat(f.rules()).containsExactly(Rules.GUARD_UNGUARDED_READ);
        Violation v = f.reported.get(0);
        assertThat(v.message())
                .isEqualTo(Thread.currentThread().getName() + " reads com.example.Cache.entries without holding 'lock'"
                        + " (cache.lock), which " + JSR305 + " on com.example.Cache.entries asks for");
        assertThat(v.acquiring().className()).isEqualTo("lock (the lock of com.example.Cache.entries)");
        assertThat(v.held()).extracting(Violation.LockInfo::className).containsExactly("Other");
        assertThat(v.citation())
                .contains("lockdep_assert_held")
                .contains(JSR305 + "(\"lock\") on com.example.Cache.entries");
        assertThat(v.fix()).contains("Take 'lock' around the access");
        assertThat(v.stack()).isNotEmpty();
    }

    @Test
    void aWriteUnderOnlyTheReadLockIsAnUnguardedWrite() {
        f.lockMode(lock, rw, Lockdep.READ, Lockdep.REENTRANT);
        f.engine.guarded(ENTRIES, lock, false, 1, null);
        assertThat(f.reported).as("a read under the read lock").isEmpty();
        f.engine.guarded(ENTRIES, lock, true, 2, null);
        f.unlockMode(lock, rw, Lockdep.READ);
        assertThat(f.rules()).containsExactly(Rules.GUARD_UNGUARDED_WRITE);
        assertThat(f.reported.get(0).message()).contains("only for reading");
        f.lockMode(lock, rw, Lockdep.WRITE, Lockdep.REENTRANT);
        f.engine.guarded(ENTRIES, lock, true, 3, null);
        f.unlockMode(lock, rw, Lockdep.WRITE);
        assertThat(f.reported).as("a write under the write lock").hasSize(1);
    }

    @Test
    void aGuardedMethodCalledWithoutItsLockIsNotHolding() {
        f.engine.guarded(EVICT, lock, false, 4, null);
        assertThat(f.rules()).containsExactly(Rules.GUARD_NOT_HOLDING);
        assertThat(f.reported.get(0).message()).contains("calls com.example.Cache.evict() without holding 'this'");
    }

    @Test
    void aPendingAcquisitionIsNotHeld() {
        f.engine.acquire(lock, mutex, Lockdep.WRITE, 0, null, null); // announced, not yet acquired
        f.engine.guarded(ENTRIES, lock, false, 1, null);
        assertThat(f.rules()).containsExactly(Rules.GUARD_UNGUARDED_READ);
    }

    @Test
    void aMonitorTheEngineDidNotSeeTakenIsAskedOfTheJvm() {
        synchronized (lock) { // no event: as a monitor taken before the agent started
            f.engine.guarded(ENTRIES, lock, false, 1, null);
        }
        assertThat(f.reported).isEmpty();
    }

    @Test
    void oneReportPerSiteAndRepeatsCounted() {
        for (int i = 0; i < 3; i++) {
            f.engine.guarded(ENTRIES, lock, false, 5, null);
        }
        f.engine.guarded(ENTRIES, lock, false, 6, null);
        assertThat(f.reported).as("a new site is a new report").hasSize(2);
    }

    @Test
    void anUnresolvedLockIsNotChecked() {
        f.engine.guarded(ENTRIES, null, false, 1, null);
        assertThat(f.reported).isEmpty();
    }

    @Test
    void failModeThrowsAtTheAccess() {
        Fixture strict = new Fixture(LockdepConfig.builder().failFast(true).build());
        assertThatThrownBy(() -> strict.engine.guarded(ENTRIES, lock, true, 1, null))
                .isInstanceOf(LockdepViolationError.class)
                .hasMessageContaining(Rules.GUARD_UNGUARDED_WRITE);
    }

    static final String CHECKER = "@org.checkerframework.checker.lock.qual.";
    static final GuardRule SIZE =
            new GuardRule(GuardRule.Kind.LOCKING_FREE, "com.example.Cache.size()", "", CHECKER + "LockingFree");
    static final GuardRule PEEK = new GuardRule(
            GuardRule.Kind.RELEASES_NO_LOCKS, "com.example.Cache.peek()", "", CHECKER + "ReleasesNoLocks");

    @Test
    void aLockTakenInsideALockingFreeMethodIsAcquiredLock() {
        f.lock(lock, mutex); // a known chain: the fast path must step aside inside the scope
        f.unlock(lock, mutex);
        f.engine.guardScopeEnter(SIZE);
        f.lock(lock, mutex);
        f.unlock(lock, mutex);
        f.engine.guardScopeExit(SIZE);
        assertThat(f.rules()).containsExactly(Rules.GUARD_ACQUIRED_LOCK);
        Violation v = f.reported.get(0);
        assertThat(v.message())
                .isEqualTo(Thread.currentThread().getName() + " acquires cache.lock (Cache.lock) inside"
                        + " com.example.Cache.size(), which " + CHECKER + "LockingFree declares takes and releases"
                        + " no lock");
        assertThat(v.citation()).contains(CHECKER + "LockingFree on com.example.Cache.size()");
        f.lock(lock, mutex);
        f.unlock(lock, mutex);
        assertThat(f.reported).as("after the method returned").hasSize(1);
    }

    @Test
    void releasingTheCallersLockInsideReleasesNoLocksIsReleasedLock() {
        Lock inner = new Lock("inner");
        LockClass innerClass = f.cls("Inner");
        f.lock(lock, mutex);
        f.engine.guardScopeEnter(PEEK);
        f.lock(inner, innerClass); // its own lock, taken and released: allowed
        f.unlock(inner, innerClass);
        f.lockMode(lock, mutex, Lockdep.WRITE, Lockdep.REENTRANT); // a second hold, given back: no net release
        f.unlock(lock, mutex);
        assertThat(f.reported).as("a method that gives back only what it took").isEmpty();
        f.unlock(lock, mutex);
        f.engine.guardScopeExit(PEEK);
        assertThat(f.rules()).containsExactly(Rules.GUARD_RELEASED_LOCK);
        assertThat(f.reported.get(0).message())
                .contains("releases cache.lock (Cache.lock) inside com.example.Cache.peek()")
                .contains("declares releases no lock it is called with");
    }

    @Test
    void aLockingFreeMethodThatTakesNothingIsSilentAndScopesNest() {
        f.lock(lock, mutex);
        f.engine.guardScopeEnter(PEEK);
        f.engine.guardScopeEnter(SIZE);
        f.engine.guardScopeExit(SIZE);
        Lock inner = new Lock("inner");
        LockClass innerClass = f.cls("Inner");
        f.lock(inner, innerClass); // inside @ReleasesNoLocks only: allowed
        f.unlock(inner, innerClass);
        f.engine.guardScopeExit(PEEK);
        f.unlock(lock, mutex); // after the scope: the caller's own release
        assertThat(f.reported).isEmpty();
    }

    @Test
    void anExitNeverSeenIsClosedByTheEnclosingExit() {
        f.lock(lock, mutex);
        f.engine.guardScopeEnter(PEEK);
        f.engine.guardScopeEnter(SIZE); // its exit is lost
        f.engine.guardScopeExit(PEEK);
        f.unlock(lock, mutex);
        assertThat(f.reported).isEmpty();
    }

    @Test
    void failModeThrowsBeforeTheRelease() {
        Fixture strict = new Fixture(LockdepConfig.builder().failFast(true).build());
        strict.lock(lock, mutex);
        strict.engine.guardScopeEnter(PEEK);
        assertThatThrownBy(() -> strict.unlock(lock, mutex))
                .isInstanceOf(LockdepViolationError.class)
                .hasMessageContaining(Rules.GUARD_RELEASED_LOCK);
        assertThat(strict.engine.heldMode(lock))
                .as("still held: the unlock did not happen")
                .isEqualTo(Lockdep.WRITE);
    }

    /**
     * An object whose constructor breaks its own contract (exempt: not shared yet), and that of
     * another object of its class (checked): the exemption is the object's, not the class's.
     */
    final class Building {
        final GuardRule rule =
                new GuardRule(GuardRule.Kind.HOLDING, Building.class.getName() + ".reset()", "lock", JSR305);

        Building(Building shared, int site) {
            f.engine.constructing(this);
            try {
                reset(site);
                if (shared != null) {
                    shared.reset(site + 1);
                }
            } finally {
                f.engine.constructed(this);
            }
        }

        void reset(int site) {
            f.engine.guarded(rule, lock, false, site, this);
        }
    }

    @Test
    void aContractBrokenWhileItsObjectIsBuiltIsExempt() {
        Building b = new Building(null, 10);
        assertThat(f.reported).as("called on itself from the constructor").isEmpty();
        b.reset(20);
        assertThat(f.rules()).as("called once the object is built").containsExactly(Rules.GUARD_NOT_HOLDING);
    }

    @Test
    void aConstructorBreakingTheContractOfAnotherObjectOfItsClassIsReported() {
        Building shared = new Building(null, 10);
        new Building(shared, 30);
        assertThat(f.reported)
                .as("the shared object, from the new one's constructor")
                .hasSize(1);
        assertThat(f.reported.get(0).message()).contains("calls " + Building.class.getName() + ".reset()");
        ThreadState ts = f.engine.threadStates().iterator().next();
        assertThat(ts.buildingDepth).as("both constructors ended").isZero();
    }

    /** Owners not known (an {@code itself} read) or static: the initialisers on the stack decide. */
    final class Initialising {
        final GuardRule rule = new GuardRule(
                GuardRule.Kind.FIELD, Initialising.class.getName() + ".count", "Initialising.class", JSR305);

        Initialising(Object owner) {
            f.engine.guarded(rule, lock, true, owner == null ? 40 : 41, owner);
        }
    }

    @Test
    void anUnknownOwnerIsExemptInAConstructorAStaticOneOnlyInTheStaticInitialiser() {
        new Initialising(null);
        assertThat(f.reported).as("an itself read in a constructor").isEmpty();
        new Initialising(Initialising.class);
        assertThat(f.rules())
                .as("a static field written by a constructor: shared state")
                .containsExactly(Rules.GUARD_UNGUARDED_WRITE);
    }

    @Test
    void anUnbalancedConstructionNeverExemptsAnotherObject() {
        Object a = new Object();
        Object b = new Object();
        f.engine.constructing(a);
        f.engine.constructing(b); // b's constructor threw without its exit being seen
        f.engine.constructed(a);
        ThreadState ts = f.engine.threadStates().iterator().next();
        assertThat(ts.isBuilding(b)).as("dropped with the entry below it").isFalse();
        f.engine.constructed(a); // the same exit twice: nothing to drop
        assertThat(ts.buildingDepth).isZero();
    }
}
