package io.jlockdep.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jlockdep.agent.engine.Fixture.Lock;
import io.jlockdep.api.Rules;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

/**
 * The fast path of a known chain ({@link LockAcquisition#acquireFast}, the kernel's
 * {@code lookup_chain_cache} hit) decides nothing itself: every acquisition a check of the slow
 * path could object to (re-entry, recursion, another instance of a held class, a lock an API
 * scope names) goes the slow way, however well the thread knows the chain. Each scenario runs
 * twice, on a cold engine and on one whose thread has already validated every chain the scenario
 * makes, and must report the same.
 */
class FastPathTest {

    /** Runs {@code scenario} on a cold engine, and on a fresh one after {@code warm} taught it the chains: both report {@code expected}. */
    private static void sameReports(Consumer<Fixture> warm, Consumer<Fixture> scenario, String... expected) {
        Fixture cold = new Fixture();
        scenario.accept(cold);
        Fixture known = new Fixture();
        warm.accept(known);
        assertThat(known.reported).as("the warm-up is correct code").isEmpty();
        scenario.accept(known);
        assertThat(cold.rules()).containsExactly(expected);
        assertThat(known.rules()).as("with the chains known").containsExactly(expected);
    }

    private static void lockAndUnlock(Fixture f, LockClass cls, Object lock) {
        f.lock(lock, cls);
        f.unlock(lock, cls);
    }

    @Test
    void recursionOnAKnownChainIsReported() {
        Lock a = new Lock("a");
        sameReports(
                f -> lockAndUnlock(f, f.cls("A"), a),
                f -> {
                    LockClass cls = f.cls("A");
                    f.lock(a, cls);
                    f.lock(a, cls); // not re-entrant: the kernel's recursive locking
                },
                Rules.RECURSIVE_LOCKING);
    }

    @Test
    void sameClassInstancesTakenInBothOrdersAreReportedOnKnownChains() {
        Lock a1 = new Lock("a1");
        Lock a2 = new Lock("a2");
        Consumer<Fixture> nestA1A2 = f -> {
            LockClass cls = f.cls("A");
            f.lock(a1, cls);
            f.lock(a2, cls);
            f.unlock(a2, cls);
            f.unlock(a1, cls);
        };
        // The warm-up teaches the chains [A] and [A, A] with other instances of A.
        Lock b1 = new Lock("b1");
        Lock b2 = new Lock("b2");
        sameReports(
                f -> {
                    LockClass cls = f.cls("A");
                    f.lock(b1, cls);
                    f.lock(b2, cls);
                    f.unlock(b2, cls);
                    f.unlock(b1, cls);
                    ThreadState ts = f.engine.threadStates().iterator().next();
                    long one = HeldLocks.fold(0, cls, Lockdep.WRITE, false, false);
                    assertThat(ts.knowsChain(one)).as("[A] known").isTrue();
                    assertThat(ts.knowsChain(HeldLocks.fold(one, cls, Lockdep.WRITE, false, false)))
                            .as("[A, A] known")
                            .isTrue();
                },
                f -> {
                    nestA1A2.accept(f);
                    LockClass cls = f.cls("A");
                    f.lock(a2, cls);
                    f.lock(a1, cls);
                },
                Rules.CIRCULAR_DEPENDENCY);
    }

    @Test
    void aScopeThatForbidsTheLockFiresOnAKnownChain() {
        Lock device = new Lock("device.lock");
        sameReports(
                f -> lockAndUnlock(f, f.cls("device.lock"), device),
                f -> {
                    f.engine.enter(ApiRulesTest.NO_ACQUIRE, device, null);
                    f.engine.acquire(device, f.cls("device.lock"), Lockdep.WRITE, 0, null, null);
                    f.engine.exit(ApiRulesTest.NO_ACQUIRE);
                },
                "myspec/no-lock-in-irq");
    }

    @Test
    void aKnownChainInTheOtherThreadsOrderStillClosesTheCycle() throws Exception {
        Lock a = new Lock("a");
        Lock b = new Lock("b");
        Fixture f = new Fixture();
        LockClass clsA = f.cls("A");
        LockClass clsB = f.cls("B");
        // This thread knows [B] and [A] alone, the fast path's chains, and then nests A under B.
        lockAndUnlock(f, clsB, b);
        lockAndUnlock(f, clsA, a);
        LockdepRulesTest.onThread("a-then-b", () -> {
            f.lock(a, clsA);
            f.lock(b, clsB);
            f.unlock(b, clsB);
            f.unlock(a, clsA);
        });
        f.lock(b, clsB);
        f.lock(a, clsA);
        assertThat(f.rules()).containsExactly(Rules.CIRCULAR_DEPENDENCY);
    }

    @Test
    void aWwMutexNestedWithoutAContextIsReportedOnKnownChains() {
        Lock r1 = new Lock("r1");
        Lock r2 = new Lock("r2");
        sameReports(
                f -> lockAndUnlock(f, f.cls("resv", LockClass.Kind.WW_MUTEX), r1),
                f -> {
                    LockClass ww = f.cls("resv", LockClass.Kind.WW_MUTEX);
                    f.lock(r1, ww);
                    f.lock(r2, ww);
                },
                Rules.WW_NEST_WITHOUT_CONTEXT);
    }

    @Test
    void aTrylockOfAHeldLockIsARecursionOnTheFastPathToo() {
        Lock a = new Lock("a");
        sameReports(
                f -> {
                    LockClass cls = f.cls("A");
                    f.trylock(a, cls);
                    f.unlock(a, cls);
                },
                f -> {
                    LockClass cls = f.cls("A");
                    f.lockMode(a, cls, Lockdep.WRITE, Lockdep.REENTRANT);
                    f.engine.acquire(a, cls, Lockdep.WRITE, Lockdep.TRYLOCK | Lockdep.REENTRANT, null, null);
                    f.unlock(a, cls);
                    assertThat(f.engine.heldMode(a))
                            .as("the trylock's hold is counted")
                            .isEqualTo(Lockdep.WRITE);
                    f.unlock(a, cls);
                    f.unlock(a, cls); // one release too many
                },
                Rules.BAD_UNLOCK_BALANCE);
    }

    @Test
    void aTrylockHeldUnderALockIsAPrevForTheNextAcquisition() throws Exception {
        Lock a = new Lock("a");
        Lock b = new Lock("b");
        Lock c = new Lock("c");
        Fixture f = new Fixture();
        LockClass clsA = f.cls("A");
        LockClass clsB = f.cls("B");
        LockClass clsC = f.cls("C");
        for (int round = 0; round < 2; round++) { // the second round: trylock on the fast path
            f.lock(a, clsA);
            f.trylock(b, clsB);
            f.lock(c, clsC);
            f.unlock(c, clsC);
            f.unlock(b, clsB);
            f.unlock(a, clsA);
        }
        LockdepRulesTest.onThread("c-then-b", () -> {
            f.lock(c, clsC);
            f.lock(b, clsB);
        });
        assertThat(f.rules()).containsExactly(Rules.CIRCULAR_DEPENDENCY);
    }

    @Test
    void aReleasedEntryKeepsNoLockAlive() {
        Fixture f = new Fixture();
        LockClass cls = f.cls("A");
        Lock a = new Lock("a");
        Lock ctx = new Lock("ctx");
        for (int round = 0; round < 2; round++) { // the second round takes the fast path
            f.engine.acquiredBlocking(f.engine.acquireBlocking(a, cls, Lockdep.WRITE, Lockdep.REENTRANT), a);
            assertThat(f.engine.heldMode(a)).isEqualTo(Lockdep.WRITE);
            f.unlock(a, cls);
        }
        LockClass ww = f.cls("resv", LockClass.Kind.WW_MUTEX);
        f.engine.acquire(a, ww, Lockdep.WRITE, 0, ctx, "a site");
        f.engine.acquired(a);
        f.engine.release(a, ww, Lockdep.WRITE);
        ThreadState ts = f.engine.threadStates().iterator().next();
        HeldLock free = ts.held[0];
        assertThat(free.instance).as("the lock").isNull();
        assertThat(free.nest).as("the context").isNull();
        assertThat(free.site).as("the site").isNull();
        assertThat(free.stack).as("the stack").isNull();
    }

    @Test
    void aCallSiteGoesToTheNextAcquisitionOnlyAndAFailedCallForgetsIt() {
        Fixture f = new Fixture();
        LockClass cls = f.cls("A");
        LockClass other = f.cls("B");
        Lock a = new Lock("a");
        Lock b = new Lock("b");
        lockAndUnlock(f, cls, a); // [A] known: the next acquisition of a takes the fast path
        ThreadState ts = f.engine.threadStates().iterator().next();
        f.engine.callSite("Foo.bar(Foo.java:12)");
        f.engine.acquiredBlocking(f.engine.acquireBlocking(a, cls, Lockdep.WRITE, Lockdep.REENTRANT), a);
        assertThat(ts.held[0].site).as("the fast path's entry").isEqualTo("Foo.bar(Foo.java:12)");
        f.engine.acquiredBlocking(f.engine.acquireBlocking(b, other, Lockdep.WRITE, Lockdep.REENTRANT), b);
        assertThat(ts.held[1].site)
                .as("the next acquisition: the site was taken")
                .isNull();
        f.unlock(b, other);
        f.unlock(a, cls);

        f.engine.callSite("Foo.baz(Foo.java:20)");
        f.engine.dropCallSite(); // the trylock failed
        f.lock(b, other);
        assertThat(ts.held[0].site).as("after a failed call").isNull();
        f.unlock(b, other);

        f.engine.callSite("Foo.qux(Foo.java:30)");
        f.engine.acquire(a, cls, Lockdep.WRITE, Lockdep.REENTRANT, null, "Foo.own(Foo.java:1)");
        f.engine.acquired(a);
        assertThat(ts.held[0].site).as("a site of its own wins").isEqualTo("Foo.own(Foo.java:1)");
        f.lock(b, other);
        assertThat(ts.held[1].site).as("and the call's is gone").isNull();
    }

    @Test
    void anEntryReusedAfterAContextEntryCarriesNoContext() {
        Fixture f = new Fixture();
        LockClass ww = f.cls("resv", LockClass.Kind.WW_MUTEX);
        LockClass cls = f.cls("A");
        Lock resv = new Lock("resv");
        Lock ctx = new Lock("ctx");
        Lock a = new Lock("a");
        lockAndUnlock(f, cls, a); // [A] known: the next acquisition of a takes the fast path
        f.engine.acquire(resv, ww, Lockdep.WRITE, 0, ctx, null);
        f.engine.acquired(resv);
        f.engine.release(resv, ww, Lockdep.WRITE);
        Object token = f.engine.acquireBlocking(a, cls, Lockdep.WRITE, Lockdep.REENTRANT);
        assertThat(token).isInstanceOf(HeldLock.class);
        assertThat(((HeldLock) token).nest).isNull();
        assertThat(((HeldLock) token).cls).isSameAs(cls);
        f.engine.acquiredBlocking(token, a);
        assertThat(f.engine.heldMode(a)).as("settled by the token").isEqualTo(Lockdep.WRITE);
        f.unlock(a, cls);
        assertThat(f.reported).isEmpty();
    }
}
