package io.jlockdep.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jlockdep.agent.engine.Fixture.Lock;
import io.jlockdep.api.LockdepViolationError;
import io.jlockdep.api.Rules;
import io.jlockdep.api.Violation;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * One triggering and one clean test per rule, plus the engine's semantics around them. Longer
 * than 500 lines on purpose: one nested class per rule of the README's rule table, kept in one
 * file so that the table and its tests can be read side by side.
 */
class LockdepRulesTest {

    final Fixture f = new Fixture();
    final LockClass clsA = f.cls("A");
    final LockClass clsB = f.cls("B");
    final LockClass clsC = f.cls("C");
    final Lock a = new Lock("a");
    final Lock b = new Lock("b");
    final Lock c = new Lock("c");

    static void onThread(String name, Runnable body) throws InterruptedException {
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread t = new Thread(
                () -> {
                    try {
                        body.run();
                    } catch (Throwable e) {
                        failure.set(e);
                    }
                },
                name);
        t.start();
        t.join(TimeUnit.SECONDS.toMillis(20));
        assertThat(t.isAlive()).as(name + " finished").isFalse();
        if (failure.get() != null) {
            throw new AssertionError(name + " failed", failure.get());
        }
    }

    @Nested
    class CircularDependency {

        @Test
        void abbaIsReportedWithTheChain() {
            f.lock(a, clsA);
            f.lock(b, clsB);
            f.unlock(b, clsB);
            f.unlock(a, clsA);
            f.lock(b, clsB);
            f.lock(a, clsA);
            assertThat(f.rules()).containsExactly(Rules.CIRCULAR_DEPENDENCY);
            Violation v = f.reported.get(0);
            assertThat(v.title()).isEqualTo("possible circular locking dependency detected");
            assertThat(v.acquiring().className()).isEqualTo("A");
            assertThat(v.held()).extracting(Violation.LockInfo::className).containsExactly("B");
            assertThat(v.chain()).extracting(l -> l.from() + "->" + l.to()).containsExactly("B->A", "A->B");
            assertThat(v.chain().get(1).stack())
                    .as("first occurrence stack of A->B")
                    .isNotEmpty();
            assertThat(v.chain().get(1).stack()[0].getMethodName()).isEqualTo("lock");
            assertThat(v.citation()).contains("lockdep-design.rst");
            assertThat(v.fix()).contains("one order");
            assertThat(f.engine.hasDependency(clsB, clsA))
                    .as("the closing edge is not added")
                    .isFalse();
        }

        @Test
        void consistentOrderIsSilentAndValidatedOnce() {
            for (int i = 0; i < 100; i++) {
                f.lock(a, clsA);
                f.lock(b, clsB);
                f.lock(c, clsC);
                f.unlock(c, clsC);
                f.unlock(b, clsB);
                f.unlock(a, clsA);
            }
            assertThat(f.reported).isEmpty();
            assertThat(f.engine.edgeCount()).isEqualTo(2);
            assertThat(f.engine.hasDependency(clsA, clsB)).isTrue();
            assertThat(f.engine.hasDependency(clsB, clsC)).isTrue();
            assertThat(f.engine.hasDependency(clsA, clsC))
                    .as("only prev -> next, as lockdep")
                    .isFalse();
            assertThat(f.engine.chainCount())
                    .as("[A], [A,B], [A,B,C] validated once each")
                    .isEqualTo(3);
        }

        @Test
        void outOfOrderUnlockKeepsTheChainConsistent() {
            f.lock(a, clsA);
            f.lock(b, clsB);
            f.unlock(a, clsA);
            f.lock(c, clsC);
            assertThat(f.engine.hasDependency(clsB, clsC)).isTrue();
            assertThat(f.engine.hasDependency(clsA, clsC)).isFalse();
            f.unlock(c, clsC);
            f.unlock(b, clsB);
            assertThat(f.engine.heldLocks()).isEmpty();
            assertThat(f.reported).isEmpty();
        }
    }

    @Nested
    class Trylock {

        @Test
        void aTrylockAddsNoDependencyTowardsItself() {
            f.lock(a, clsA);
            f.trylock(b, clsB);
            assertThat(f.engine.hasDependency(clsA, clsB)).isFalse();
            f.unlock(b, clsB);
            f.unlock(a, clsA);
            f.lock(b, clsB);
            f.lock(a, clsA); // B -> A: no cycle, A -> B was a trylock
            assertThat(f.reported).isEmpty();
        }

        @Test
        void locksTakenAfterATrylockDependOnItAndOnTheLockBelow() {
            f.lock(a, clsA);
            f.trylock(b, clsB);
            f.lock(c, clsC);
            assertThat(f.engine.hasDependency(clsB, clsC)).isTrue();
            assertThat(f.engine.hasDependency(clsA, clsC))
                    .as("walks back past trylocks to the first blocking lock")
                    .isTrue();
        }

        @Test
        void aTrylockOfAHeldLockIsNotRecursion() {
            f.lock(a, clsA);
            f.trylock(a, clsA);
            assertThat(f.reported).isEmpty();
        }
    }

    @Nested
    class RecursiveLocking {

        @Test
        void takingANonReentrantLockTwiceIsReportedBeforeBlocking() {
            f.lock(a, clsA);
            f.engine.acquire(a, clsA, Lockdep.WRITE, 0, null, null);
            assertThat(f.rules()).containsExactly(Rules.RECURSIVE_LOCKING);
            assertThat(f.reported.get(0).message()).contains("which it already holds");
            assertThat(f.engine.heldLocks()).hasSize(1);
        }

        @Test
        void reentrantLocksCountHolds() {
            f.lockMode(a, clsA, Lockdep.WRITE, Lockdep.REENTRANT);
            f.lockMode(a, clsA, Lockdep.WRITE, Lockdep.REENTRANT);
            assertThat(f.engine.heldLocks()).hasSize(1);
            f.unlock(a, clsA);
            assertThat(f.engine.heldLocks()).hasSize(1);
            f.unlock(a, clsA);
            assertThat(f.engine.heldLocks()).isEmpty();
            assertThat(f.reported).isEmpty();
        }

        @Test
        void readToWriteUpgradeOnOneReentrantReadWriteLockIsASelfDeadlock() {
            LockClass rw = f.cls("rw", LockClass.Kind.RWLOCK);
            f.lockMode(a, rw, Lockdep.READ, Lockdep.REENTRANT);
            f.engine.acquire(a, rw, Lockdep.WRITE, Lockdep.REENTRANT, null, null);
            assertThat(f.rules()).containsExactly(Rules.RECURSIVE_LOCKING);
            assertThat(f.reported.get(0).message()).contains("read-to-write upgrade");
        }

        @Test
        void writeToReadDowngradeAndReadReentryAreFine() {
            LockClass rw = f.cls("rw", LockClass.Kind.RWLOCK);
            f.lockMode(a, rw, Lockdep.WRITE, Lockdep.REENTRANT);
            f.lockMode(a, rw, Lockdep.READ, Lockdep.REENTRANT);
            f.unlockMode(a, rw, Lockdep.WRITE);
            f.lockMode(a, rw, Lockdep.READ, Lockdep.REENTRANT);
            f.unlockMode(a, rw, Lockdep.READ);
            f.unlockMode(a, rw, Lockdep.READ);
            assertThat(f.engine.heldLocks()).isEmpty();
            assertThat(f.reported).isEmpty();
        }
    }

    @Nested
    class SameClassNesting {

        final LockClass account = f.cls("Account");
        final Lock a1 = new Lock("a1");
        final Lock a2 = new Lock("a2");
        final Lock a3 = new Lock("a3");

        void pair(Lock first, Lock second) {
            f.lock(first, account);
            f.lock(second, account);
            f.unlock(second, account);
            f.unlock(first, account);
        }

        @Test
        void consistentlyOrderedInstancesAreSilent() throws Exception {
            pair(a1, a2);
            onThread("other", () -> pair(a1, a2));
            pair(a2, a3);
            pair(a1, a3);
            assertThat(f.reported).isEmpty();
            assertThat(f.engine.hasDependency(account, account))
                    .as("no class self edge")
                    .isFalse();
        }

        @Test
        void instancesTakenInBothOrdersAreACycle() throws Exception {
            pair(a1, a2);
            onThread("transfer-back", () -> pair(a2, a1));
            assertThat(f.rules()).containsExactly(Rules.CIRCULAR_DEPENDENCY);
            Violation v = f.reported.get(0);
            assertThat(v.threadName()).isEqualTo("transfer-back");
            assertThat(v.message()).contains("a1").contains("a2").contains("Account");
            assertThat(v.chain()).hasSize(2);
        }

        /**
         * Issue 27 item 25: past the first pairs of a class, pairs are recorded without a stack (a
         * walk per new pair of fresh objects made nesting them 40 times slower); a cycle through
         * one is still found, with the closing acquisition's stack.
         */
        @Test
        void pairsPastTheStackBudgetAreRecordedWithoutAStackAndStillFormCycles() throws Exception {
            for (int i = 0; i < ChainValidator.INSTANCE_STACKS; i++) {
                pair(new Lock("fresh-" + i), new Lock("fresh-" + i + "b"));
            }
            pair(a1, a2);
            onThread("transfer-back", () -> pair(a2, a1));
            assertThat(f.rules()).containsExactly(Rules.CIRCULAR_DEPENDENCY);
            Violation v = f.reported.get(0);
            assertThat(v.chain()).hasSize(2);
            assertThat(v.chain().get(0).stack()).as("the closing acquisition's").isNotEmpty();
            assertThat(v.chain().get(1).stack()).as("a1 -> a2, past the budget").isEmpty();
        }

        @Test
        void aPairThisThreadAlreadyOrderedIsStillCheckedAgainstAnotherThreadsOrder() throws Exception {
            pair(a1, a2);
            pair(a1, a2); // known to this thread: the fast path
            onThread("transfer-back", () -> pair(a2, a1));
            pair(a1, a2); // known to this thread, and already reported
            assertThat(f.rules())
                    .as("the reverse order is judged by the thread that takes it, once")
                    .containsExactly(Rules.CIRCULAR_DEPENDENCY);
            assertThat(f.reported.get(0).threadName()).isEqualTo("transfer-back");
        }

        @Test
        void nestableClassesAreOrderedByInstanceEvenInKernelMode() {
            Fixture kernel = new Fixture(LockdepConfig.builder()
                    .sameClassNesting(LockdepConfig.SameClassNesting.REPORT)
                    .build());
            LockClass stream = kernel.engine.nestableLockClass("stream", "java.io stream", LockClass.Kind.MUTEX);
            kernel.lock(a1, stream);
            kernel.lock(a2, stream);
            kernel.unlock(a2, stream);
            kernel.unlock(a1, stream);
            assertThat(kernel.reported)
                    .as("the JDK's stacking, annotated as it were")
                    .isEmpty();
            kernel.lock(a2, stream);
            kernel.lock(a1, stream);
            assertThat(kernel.rules()).containsExactly(Rules.CIRCULAR_DEPENDENCY);
        }

        @Test
        void theJdksInternalLocksAreNotJudgedByTheStrictSameClassRule() {
            // Found when the agent stopped bootstrapping StringConcatFactory itself: the JDK's
            // first string concatenation nests computeIfAbsent of two of its own maps.
            Fixture kernel = new Fixture(LockdepConfig.builder()
                    .sameClassNesting(LockdepConfig.SameClassNesting.REPORT)
                    .build());
            LockClass early = kernel.engine.internalLockClass(
                    "early map", "ConcurrentHashMap allocated before jlockdep started", LockClass.Kind.MUTEX);
            kernel.lock(a1, early);
            kernel.lock(a2, early);
            kernel.unlock(a2, early);
            kernel.unlock(a1, early);
            assertThat(kernel.reported)
                    .as("the JDK's own nesting of its own locks")
                    .isEmpty();
        }

        @Test
        void aLongerInstanceCycleIsFound() {
            pair(a1, a2);
            pair(a2, a3);
            pair(a3, a1);
            assertThat(f.rules()).containsExactly(Rules.CIRCULAR_DEPENDENCY);
            assertThat(f.reported.get(0).chain()).hasSize(3);
        }

        @Test
        void kernelModeReportsAnyUnannotatedNesting() {
            Fixture kernel = new Fixture(LockdepConfig.builder()
                    .sameClassNesting(LockdepConfig.SameClassNesting.REPORT)
                    .build());
            LockClass acc = kernel.cls("Account");
            kernel.lock(a1, acc);
            kernel.lock(a2, acc);
            assertThat(kernel.rules()).containsExactly(Rules.RECURSIVE_LOCKING);
            assertThat(kernel.reported.get(0).message()).contains("without a nest context");
            kernel.unlock(a2, acc);
            kernel.unlock(a1, acc);
            kernel.lock(a1, acc);
            kernel.lock(a2, acc);
            kernel.unlock(a2, acc);
            kernel.unlock(a1, acc);
            assertThat(kernel.rules())
                    .as("warn mode records the acquisition it reported: its release balances, and it is reported once")
                    .containsExactly(Rules.RECURSIVE_LOCKING);
        }

        @Test
        void locksOfOneWwClassUnderOneContextNest() {
            LockClass mutex = f.cls("resv_mutex", LockClass.Kind.WW_MUTEX);
            LockClass acquire = f.cls("resv_acquire", LockClass.Kind.WW_ACQUIRE);
            Lock ctx = new Lock("ctx");
            f.engine.wwAcquireInit(ctx, acquire, mutex, null);
            for (Lock l : new Lock[] {a1, a2, a3}) {
                f.engine.acquire(l, mutex, Lockdep.WRITE, 0, ctx, null);
                f.engine.acquired(l);
            }
            for (Lock l : new Lock[] {a3, a1, a2}) {
                f.engine.release(l, mutex, Lockdep.WRITE);
            }
            f.engine.wwAcquireFini(ctx, null);
            f.engine.wwAcquireInit(ctx, acquire, mutex, null);
            for (Lock l : new Lock[] {a3, a2, a1}) { // the other order: fine under a context
                f.engine.acquire(l, mutex, Lockdep.WRITE, 0, ctx, null);
                f.engine.acquired(l);
            }
            assertThat(f.reported).isEmpty();
            assertThat(f.engine.hasDependency(acquire, mutex)).isTrue();
        }
    }

    @Nested
    class BadUnlockBalance {

        @Test
        void unlockOfALockNotHeld() {
            f.unlock(a, clsA);
            assertThat(f.rules()).containsExactly(Rules.BAD_UNLOCK_BALANCE);
            assertThat(f.reported.get(0).title()).isEqualTo("bad unlock balance detected!");
            assertThat(f.reported.get(0).message()).contains("holds no such lock");
        }

        @Test
        void unlockOfALockAnotherThreadHoldsNamesTheHolder() throws Exception {
            CountDownLatch held = new CountDownLatch(1);
            CountDownLatch done = new CountDownLatch(1);
            Thread holder = new Thread(
                    () -> {
                        f.lock(a, clsA);
                        held.countDown();
                        try {
                            done.await(20, TimeUnit.SECONDS);
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                        f.unlock(a, clsA);
                    },
                    "holder");
            holder.start();
            assertThat(held.await(20, TimeUnit.SECONDS)).isTrue();
            f.unlock(a, clsA);
            done.countDown();
            holder.join(20_000);
            assertThat(f.rules()).containsExactly(Rules.BAD_UNLOCK_BALANCE);
            assertThat(f.reported.get(0).message()).contains("held by holder");
        }

        @Test
        void balancedLockingIsSilent() {
            f.lock(a, clsA);
            f.unlock(a, clsA);
            assertThat(f.reported).isEmpty();
        }
    }

    @Nested
    class HeldLockAtExit {

        @Test
        void aThreadEndingWithALockHeldIsReported() throws Exception {
            onThread("leaker", () -> {
                f.lock(a, clsA);
                f.engine.threadEnd();
            });
            assertThat(f.rules()).containsExactly(Rules.HELD_LOCK_AT_EXIT);
            assertThat(f.reported.get(0).threadName()).isEqualTo("leaker");
            assertThat(f.reported.get(0).held())
                    .extracting(Violation.LockInfo::className)
                    .containsExactly("A");
            assertThat(f.engine.allHeldLocks().keySet()).noneMatch(thread -> thread.startsWith("leaker/"));
        }

        @Test
        void checkNothingHeldReportsAtATestEnd() {
            f.lock(a, clsA);
            assertThat(f.engine.checkNothingHeld("testSomething")).isFalse();
            assertThat(f.reported.get(0).message()).contains("reaches testSomething");
            f.unlock(a, clsA);
            assertThat(f.engine.checkNothingHeld("testSomething")).isTrue();
        }

        @Test
        void aCleanThreadEndIsSilent() throws Exception {
            onThread("clean", () -> {
                f.lock(a, clsA);
                f.unlock(a, clsA);
                f.engine.threadEnd();
            });
            assertThat(f.reported).isEmpty();
        }
    }

    @Nested
    class WwContextOwnership {

        @Test
        void aContextUsedByAnotherThreadIsReported() throws Exception {
            LockClass mutex = f.cls("m", LockClass.Kind.WW_MUTEX);
            LockClass acquire = f.cls("m_acquire", LockClass.Kind.WW_ACQUIRE);
            Lock ctx = new Lock("ctx");
            f.engine.wwAcquireInit(ctx, acquire, mutex, null);
            onThread("borrower", () -> {
                f.engine.acquire(a, mutex, Lockdep.WRITE, 0, ctx, null);
                f.engine.acquired(a);
                f.engine.release(a, mutex, Lockdep.WRITE);
            });
            assertThat(f.rules()).containsExactly(Rules.WW_CONTEXT_WRONG_THREAD);
            assertThat(f.reported.get(0).message())
                    .contains("borrower")
                    .contains(Thread.currentThread().getName());
        }
    }

    @Nested
    class FailMode {

        final Fixture strict =
                new Fixture(LockdepConfig.builder().failFast(true).build());
        final LockClass x = strict.cls("X");

        @Test
        void recursionThrowsBeforeBlockingAndLeavesTheStateAsItWas() {
            strict.lock(a, x);
            for (int attempt = 0; attempt < 2; attempt++) { // one site, twice
                assertThatThrownBy(() -> strict.engine.acquire(a, x, Lockdep.WRITE, 0, null, null))
                        .as("every attempt throws, the first and the repeated one")
                        .isInstanceOf(LockdepViolationError.class)
                        .isInstanceOf(AssertionError.class)
                        .hasMessageStartingWith(Rules.RECURSIVE_LOCKING);
                assertThat(strict.engine.heldLocks()).hasSize(1);
                strict.engine.failed(a, null, Lockdep.FAILED); // what the exit advice does: harmless
                assertThat(strict.engine.heldLocks()).hasSize(1);
            }
            assertThat(strict.reported).as("reported once").hasSize(1);
        }

        @Test
        void aCycleThrowsAndTheEdgeIsNotAdded() {
            LockClass y = strict.cls("Y");
            strict.lock(a, x);
            strict.lock(b, y);
            strict.unlock(b, y);
            strict.unlock(a, x);
            strict.lock(b, y);
            assertThatThrownBy(() -> strict.engine.acquire(a, x, Lockdep.WRITE, 0, null, null))
                    .isInstanceOf(LockdepViolationError.class)
                    .satisfies(
                            e -> assertThat(((LockdepViolationError) e).rule()).isEqualTo(Rules.CIRCULAR_DEPENDENCY));
            assertThat(strict.engine.hasDependency(y, x)).isFalse();
            assertThat(strict.engine.heldLocks()).hasSize(1);
        }
    }

    @Nested
    class Deduplication {

        @Test
        void theSameViolationAtTheSameSiteIsReportedOnce() {
            f.lock(a, clsA);
            for (int i = 0; i < 1000; i++) {
                f.engine.acquire(a, clsA, Lockdep.WRITE, 0, null, null);
            }
            assertThat(f.reported).hasSize(1);
            assertThat(f.engine.violations()).hasSize(1);
        }

        @Test
        void anotherSiteIsAnotherReport() {
            f.lock(a, clsA);
            f.engine.acquire(a, clsA, Lockdep.WRITE, 0, null, null);
            f.engine.acquire(a, clsA, Lockdep.WRITE, 0, null, null);
            assertThat(f.reported).hasSize(2);
        }
    }

    @Nested
    class Limits {

        @Test
        void tooManyClassesStopsTrackingNewOnesWithOneNotice() {
            Fixture small = new Fixture(LockdepConfig.builder().maxClasses(2).build());
            assertThat(small.cls("one")).isNotNull();
            assertThat(small.cls("two")).isNotNull();
            assertThat(small.cls("three")).isNull();
            assertThat(small.cls("four")).isNull();
            small.lock(a, null); // ignored, never crashes
            assertThat(small.notices).hasSize(1).allMatch(n -> n.startsWith("MAX_LOCKDEP_KEYS too low"));
        }

        @Test
        void tooManyEdgesStopsValidationWithOneNotice() {
            Fixture small = new Fixture(LockdepConfig.builder().maxEdges(1).build());
            LockClass p = small.cls("P");
            LockClass q = small.cls("Q");
            LockClass r = small.cls("R");
            small.lock(a, p);
            small.lock(b, q);
            small.lock(c, r); // a second edge: over the limit
            small.unlock(c, r);
            small.unlock(b, q);
            small.unlock(a, p);
            small.lock(c, r);
            small.lock(a, p); // would close a cycle through the unrecorded edge: no longer validated
            assertThat(small.engine.edgeCount()).isEqualTo(1);
            assertThat(small.notices).hasSize(1).allMatch(n -> n.startsWith("MAX_LOCKDEP_ENTRIES too low"));
            assertThat(small.reported).isEmpty();
        }

        @Test
        void tooManyChainsKeepsValidatingUncachedWithOneNotice() {
            Fixture small = new Fixture(LockdepConfig.builder().maxChains(1).build());
            LockClass p = small.cls("P");
            LockClass q = small.cls("Q");
            LockClass r = small.cls("R");
            small.lock(a, p);
            small.lock(b, q);
            small.unlock(b, q);
            small.lock(c, r);
            small.unlock(c, r);
            small.unlock(a, p);
            assertThat(small.notices)
                    .hasSize(1)
                    .allMatch(n -> n.startsWith("MAX_LOCKDEP_CHAINS too low"))
                    .allMatch(n -> n.contains("nothing is left unchecked"));
            small.lock(c, r);
            small.lock(a, p); // a chain beyond the cache: still validated, so the cycle R -> P -> R is seen
            assertThat(small.rules()).containsExactly(Rules.CIRCULAR_DEPENDENCY);
            assertThat(small.engine.hasDependency(p, r)).isTrue();
        }

        @Test
        void pastTheDepthCapLocksAreCountedAndReleasesStayBalancedWithOneNotice() throws Exception {
            Fixture small = new Fixture(LockdepConfig.builder().maxDepth(3).build());
            Runnable deep = () -> {
                for (int round = 0; round < 2; round++) {
                    Lock[] locks = new Lock[6];
                    for (int i = 0; i < 6; i++) {
                        locks[i] = new Lock("l" + i);
                        small.lock(locks[i], small.cls("C" + i));
                    }
                    for (int i = 5; i >= 0; i--) {
                        small.unlock(locks[i], small.cls("C" + i));
                    }
                }
                small.engine.threadEnd();
            };
            for (int t = 0; t < 4; t++) {
                onThread("deep-" + t, deep);
            }
            assertThat(small.notices)
                    .as("one notice per run, not per thread")
                    .hasSize(1)
                    .allMatch(n -> n.startsWith("MAX_LOCK_DEPTH too low"));
            assertThat(small.reported)
                    .as("no false bad-unlock or held-lock-at-exit")
                    .isEmpty();
            // below the cap again, tracking resumes: a real inversion is still seen
            small.lock(a, small.cls("C0"));
            small.lock(b, small.cls("C1"));
            small.unlock(b, small.cls("C1"));
            small.unlock(a, small.cls("C0"));
            small.lock(b, small.cls("C1"));
            small.lock(a, small.cls("C0"));
            assertThat(small.rules()).containsExactly(Rules.CIRCULAR_DEPENDENCY);
        }

        @Test
        void rejectsNonPositiveLimits() {
            assertThatThrownBy(() -> LockdepConfig.builder().maxEdges(0))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("maxEdges");
        }
    }

    @Nested
    class InternalErrors {

        @Test
        void aFailingSinkSwitchesTheEngineOffOnceAndNeverReachesTheApplication() {
            java.util.List<String> notices = new java.util.ArrayList<>();
            Lockdep engine = new Lockdep(LockdepConfig.defaults(), new ViolationSink() {
                @Override
                public void onViolation(Violation violation) {
                    throw new IllegalStateException("sink broken");
                }

                @Override
                public void onNotice(String notice) {
                    notices.add(notice);
                }
            });
            LockClass x = engine.lockClass("X", "X", LockClass.Kind.MUTEX);
            engine.release(a, x, Lockdep.WRITE);
            assertThat(engine.isDisabled()).isTrue();
            assertThat(notices)
                    .singleElement()
                    .asString()
                    .contains("internal error")
                    .contains("sink broken");
            engine.release(b, x, Lockdep.WRITE); // ignored now
            assertThat(notices).hasSize(1);
        }
    }
}
