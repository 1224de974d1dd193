package io.jlockdep.resv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jlockdep.testing.Await;
import io.jlockdep.testing.Worker;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * ww_mutex semantics of {@link ReservationLock}: plain locking, wait-die and wound-wait, the
 * slow path, trylock, interrupts. Slightly over 500 lines: one nested class per behaviour of
 * kernel/locking/ww_mutex.h, kept together as lib/locking-selftest.c keeps its ww tests.
 */
class ReservationLockTest {

    @Nested
    class PlainMutex {

        @Test
        void lockAndUnlockTrackTheOwner() {
            ReservationLock lock = new ReservationLock("a");
            assertThat(lock.isLocked()).isFalse();
            lock.lock();
            assertThat(lock.isLocked()).isTrue();
            assertThat(lock.isHeldByCurrentThread()).isTrue();
            assertThat(lock.owner()).isSameAs(Thread.currentThread());
            assertThat(lock.lockingContext()).isNull();
            lock.unlock();
            assertThat(lock.isLocked()).isFalse();
            assertThat(lock.isHeldByCurrentThread()).isFalse();
        }

        @Test
        void defaultClassIsTheKernelsReservationClass() {
            ReservationLock lock = new ReservationLock();
            assertThat(lock.wwClass()).isSameAs(ReservationLock.CLASS);
            assertThat(ReservationLock.CLASS.name()).isEqualTo("reservation_ww_class");
            assertThat(ReservationLock.CLASS.isWaitDie()).isFalse();
            assertThat(lock.name()).startsWith("reservation_ww_class#");
        }

        @Test
        void isNotReentrant() throws Exception {
            ReservationLock lock = new ReservationLock("a");
            lock.lock();
            assertThat(lock.tryLock()).as("the owner cannot take it again").isFalse();
            lock.unlock();
        }

        @Test
        void tryLockFailsWhileAnotherThreadHoldsIt() throws Exception {
            ReservationLock lock = new ReservationLock("a");
            lock.lock();
            assertThat(Worker.start("other", lock::tryLock).join()).isFalse();
            lock.unlock();
            Worker<Boolean> taker = Worker.start("other", () -> {
                boolean got = lock.tryLock();
                lock.unlock();
                return got;
            });
            assertThat(taker.join()).isTrue();
        }

        @Test
        void unlockByANonOwnerThrowsAndLeavesTheLockHeld() throws Exception {
            ReservationLock lock = new ReservationLock("a");
            lock.lock();
            Throwable failure = Worker.start("thief", () -> {
                        lock.unlock();
                        return null;
                    })
                    .joinFailure();
            assertThat(failure)
                    .isInstanceOf(IllegalMonitorStateException.class)
                    .hasMessageContaining("unlocked by thief")
                    .hasMessageContaining("held by " + Thread.currentThread().getName());
            assertThat(lock.isHeldByCurrentThread()).isTrue();
            lock.unlock();
        }

        @Test
        void unlockOfAnUnlockedLockThrows() {
            ReservationLock lock = new ReservationLock("a");
            assertThatThrownBy(lock::unlock)
                    .isInstanceOf(IllegalMonitorStateException.class)
                    .hasMessageContaining("not locked");
        }

        @Test
        void aWaiterBlocksUntilTheHolderUnlocks() throws Exception {
            ReservationLock lock = new ReservationLock("a");
            lock.lock();
            Worker<Thread> waiter = Worker.start("waiter", () -> {
                lock.lock();
                Thread owner = lock.owner();
                lock.unlock();
                return owner;
            });
            Await.until("the waiter queues", () -> lock.queueLength() == 1);
            assertThat(waiter.isDone()).isFalse();
            lock.unlock();
            assertThat(waiter.join()).isSameAs(waiter.thread());
            assertThat(lock.queueLength()).isZero();
        }
    }

    @Nested
    class AcquireContexts {

        @Test
        void contextCountsItsLocksAndTheLockKnowsItsContext() throws Exception {
            ReservationLock a = new ReservationLock("a");
            ReservationLock b = new ReservationLock("b");
            WwAcquireContext ctx = WwAcquireContext.init(ReservationLock.CLASS);
            a.lock(ctx);
            b.lock(ctx);
            assertThat(ctx.acquired()).isEqualTo(2);
            assertThat(a.lockingContext()).isSameAs(ctx);
            ctx.done();
            b.unlock();
            a.unlock();
            assertThat(ctx.acquired()).isZero();
            assertThat(a.lockingContext()).isNull();
            ctx.fini();
            assertThat(ctx.isDone()).isTrue();
            assertThat(ctx.isFinished()).isTrue();
        }

        @Test
        void stampsGrowSoLaterContextsAreYounger() {
            WwClass c = WwClass.waitDie("test_class");
            WwAcquireContext first = WwAcquireContext.init(c);
            WwAcquireContext second = WwAcquireContext.init(c);
            assertThat(second.stamp()).isGreaterThan(first.stamp());
            assertThat(second.isYoungerThan(first)).isTrue();
            assertThat(first.isYoungerThan(second)).isFalse();
            assertThat(first.task()).isSameAs(Thread.currentThread());
        }

        @Test
        void lockingTwiceUnderOneContextIsEalreadyAndKeepsOneAcquisition() throws Exception {
            for (WwClass c : new WwClass[] {WwClass.waitDie("wd"), WwClass.woundWait("ww")}) {
                ReservationLock a = new ReservationLock(c, "a");
                WwAcquireContext ctx = WwAcquireContext.init(c);
                a.lock(ctx);
                assertThatThrownBy(() -> a.lock(ctx))
                        .as(c.toString())
                        .isInstanceOf(WwAlreadyHeldException.class)
                        .satisfies(
                                e -> assertThat(((WwMutexException) e).errno()).isEqualTo("EALREADY"))
                        .satisfies(
                                e -> assertThat(((WwMutexException) e).lock()).isSameAs(a));
                assertThatThrownBy(() -> a.lockInterruptible(ctx)).isInstanceOf(WwAlreadyHeldException.class);
                assertThat(ctx.acquired()).isEqualTo(1);
                a.unlock();
                assertThat(a.isLocked()).isFalse();
                assertThat(ctx.acquired()).isZero();
            }
        }

        @Test
        void tryLockWithAContextCountsAsAcquired() {
            ReservationLock a = new ReservationLock("a");
            WwAcquireContext ctx = WwAcquireContext.init(ReservationLock.CLASS);
            assertThat(a.tryLock(ctx)).isTrue();
            assertThat(ctx.acquired()).isEqualTo(1);
            assertThat(a.lockingContext()).isSameAs(ctx);
            assertThat(a.tryLock(ctx)).isFalse();
            a.unlock();
            assertThat(ctx.acquired()).isZero();
        }

        @Test
        void aContextHoldingNothingWaitsInsteadOfBackingOff() throws Exception {
            for (WwClass c : new WwClass[] {WwClass.waitDie("wd"), WwClass.woundWait("ww")}) {
                ReservationLock a = new ReservationLock(c, "a");
                WwAcquireContext olderHolder = WwAcquireContext.init(c);
                WwAcquireContext youngerEmpty = WwAcquireContext.init(c);
                a.lock(olderHolder);
                Worker<Integer> waiter = Worker.start("empty-ctx", () -> {
                    a.lock(youngerEmpty); // holds nothing: cannot be part of a cycle, so it waits
                    int n = youngerEmpty.acquired();
                    a.unlock();
                    return n;
                });
                Await.until("the empty context queues", () -> a.queueLength() == 1);
                a.unlock();
                assertThat(waiter.join()).as(c.toString()).isEqualTo(1);
            }
        }
    }

    @Nested
    class WaitDie {

        private final WwClass wd = WwClass.waitDie("wd_test_class");

        @Test
        void aYoungerContextHoldingLocksDiesInsteadOfWaitingForAnOlderHolder() throws Exception {
            ReservationLock l0 = new ReservationLock(wd, "l0");
            ReservationLock l1 = new ReservationLock(wd, "l1");
            WwAcquireContext older = WwAcquireContext.init(wd);
            WwAcquireContext younger = WwAcquireContext.init(wd);
            l1.lock(older);
            Worker<String> young = Worker.start("young", () -> {
                l0.lock(younger);
                try {
                    l1.lock(younger);
                    return "acquired";
                } catch (WwDeadlockException e) {
                    assertThat(younger.contendingLock()).isSameAs(l1);
                    assertThat(e.lock()).isSameAs(l1);
                    assertThat(e.errno()).isEqualTo("EDEADLK");
                    l0.unlock();
                    return "died";
                }
            });
            assertThat(young.join()).isEqualTo("died");
            assertThat(l1.queueLength()).isZero();
            assertThat(younger.acquired()).isZero();
            l1.unlock();
        }

        @Test
        void anOlderContextWaitsForAYoungerHolder() throws Exception {
            ReservationLock l0 = new ReservationLock(wd, "l0");
            ReservationLock l1 = new ReservationLock(wd, "l1");
            WwAcquireContext older = WwAcquireContext.init(wd);
            WwAcquireContext younger = WwAcquireContext.init(wd);
            l1.lock(younger);
            Worker<Integer> old = Worker.start("old", () -> {
                l0.lock(older);
                l1.lock(older);
                int n = older.acquired();
                l1.unlock();
                l0.unlock();
                return n;
            });
            Await.until("the older context waits", () -> l1.queueLength() == 1);
            assertThat(old.isDone()).isFalse();
            l1.unlock();
            assertThat(old.join()).isEqualTo(2);
        }

        @Test
        void backingOffWithLockSlowResolvesTheContention() throws Exception {
            ReservationLock l0 = new ReservationLock(wd, "l0");
            ReservationLock l1 = new ReservationLock(wd, "l1");
            WwAcquireContext older = WwAcquireContext.init(wd);
            WwAcquireContext younger = WwAcquireContext.init(wd);
            l1.lock(older);
            CountDownLatch backedOff = new CountDownLatch(1);
            Worker<Integer> young = Worker.start("young", () -> {
                l0.lock(younger);
                try {
                    l1.lock(younger);
                    throw new AssertionError("must die");
                } catch (WwDeadlockException e) {
                    l0.unlock();
                    backedOff.countDown();
                    l1.lockSlow(younger);
                    assertThat(younger.contendingLock()).isNull();
                    l0.lock(younger);
                }
                int n = younger.acquired();
                l0.unlock();
                l1.unlock();
                younger.fini();
                return n;
            });
            backedOff.await();
            Await.until("the younger context waits in lockSlow", () -> l1.queueLength() == 1);
            l0.lock(older); // free again after the back-off: the older context proceeds
            l0.unlock();
            l1.unlock();
            assertThat(young.join()).isEqualTo(2);
        }

        @Test
        void aYoungerContextDiesWhenAnOlderOneAlreadyWaitsInFront() throws Exception {
            ReservationLock held = new ReservationLock(wd, "held");
            ReservationLock x = new ReservationLock(wd, "x");
            ReservationLock y = new ReservationLock(wd, "y");
            WwAcquireContext oldest = WwAcquireContext.init(wd);
            WwAcquireContext middle = WwAcquireContext.init(wd);
            WwAcquireContext youngest = WwAcquireContext.init(wd);
            // A plain holder: nobody can die because of the holder itself.
            held.lock();
            Worker<String> old = Worker.start("old", () -> {
                x.lock(oldest);
                held.lock(oldest);
                held.unlock();
                x.unlock();
                return "ok";
            });
            Await.until("the oldest context queues", () -> held.queueLength() == 1);
            Worker<String> young = Worker.start("young", () -> {
                y.lock(youngest);
                try {
                    held.lock(youngest);
                    return "acquired";
                } catch (WwDeadlockException e) {
                    return "died";
                } finally {
                    y.unlock();
                }
            });
            assertThat(young.join()).isEqualTo("died");
            held.unlock();
            assertThat(old.join()).isEqualTo("ok");
            assertThat(middle.acquired()).isZero();
        }
    }

    @Nested
    class WoundWait {

        private final WwClass ww = WwClass.woundWait("ww_test_class");

        @Test
        void anOlderWaiterWoundsAYoungerHolderWhichDiesAtItsNextWait() throws Exception {
            ReservationLock l0 = new ReservationLock(ww, "l0");
            ReservationLock l1 = new ReservationLock(ww, "l1");
            WwAcquireContext older = WwAcquireContext.init(ww);
            WwAcquireContext younger = WwAcquireContext.init(ww);
            CountDownLatch youngHoldsL1 = new CountDownLatch(1);
            CountDownLatch oldWaits = new CountDownLatch(1);
            Worker<String> young = Worker.start("young", () -> {
                l1.lock(younger);
                youngHoldsL1.countDown();
                oldWaits.await();
                assertThat(younger.isWounded()).isTrue();
                try {
                    l0.lock(younger); // held by the older context: wounded, so back off
                    return "acquired";
                } catch (WwDeadlockException e) {
                    l1.unlock();
                    return "died";
                }
            });
            youngHoldsL1.await();
            l0.lock(older);
            Worker<Integer> old = Worker.start("old", () -> {
                l1.lock(older); // waits for the younger holder, wounding it
                int n = older.acquired();
                l1.unlock();
                return n;
            });
            Await.until("the older context waits on l1", () -> l1.queueLength() == 1);
            oldWaits.countDown();
            assertThat(young.join()).isEqualTo("died");
            assertThat(old.join()).isEqualTo(2);
            l0.unlock();
        }

        @Test
        void aWoundedContextAlreadyWaitingIsWokenToDie() throws Exception {
            ReservationLock l0 = new ReservationLock(ww, "l0");
            ReservationLock l1 = new ReservationLock(ww, "l1");
            WwAcquireContext older = WwAcquireContext.init(ww);
            WwAcquireContext younger = WwAcquireContext.init(ww);
            l0.lock(older);
            Worker<String> young = Worker.start("young", () -> {
                l1.lock(younger);
                try {
                    l0.lock(younger); // a younger context waits for an older holder
                    return "acquired";
                } catch (WwDeadlockException e) {
                    assertThat(younger.contendingLock()).isSameAs(l0);
                    l1.unlock();
                    l0.lockSlow(younger);
                    l1.lock(younger);
                    l1.unlock();
                    l0.unlock();
                    return "died and retried";
                }
            });
            Await.until("the younger context waits on l0", () -> l0.queueLength() == 1);
            l1.lock(older); // an ABBA that would deadlock with plain mutexes: the younger is wounded
            assertThat(older.acquired()).isEqualTo(2);
            l1.unlock();
            l0.unlock();
            assertThat(young.join()).isEqualTo("died and retried");
        }

        @Test
        void aYoungerContextWaitsForAnOlderHolderWithoutBackingOff() throws Exception {
            ReservationLock l0 = new ReservationLock(ww, "l0");
            ReservationLock l1 = new ReservationLock(ww, "l1");
            WwAcquireContext older = WwAcquireContext.init(ww);
            WwAcquireContext younger = WwAcquireContext.init(ww);
            l1.lock(older);
            Worker<Integer> young = Worker.start("young", () -> {
                l0.lock(younger);
                l1.lock(younger);
                int n = younger.acquired();
                l1.unlock();
                l0.unlock();
                return n;
            });
            Await.until("the younger context waits", () -> l1.queueLength() == 1);
            assertThat(older.isWounded()).isFalse();
            l1.unlock();
            assertThat(young.join()).isEqualTo(2);
        }

        @Test
        void aWoundedContextThatNeverWaitsAgainCompletes() throws Exception {
            ReservationLock l0 = new ReservationLock(ww, "l0");
            ReservationLock l1 = new ReservationLock(ww, "l1");
            ReservationLock free = new ReservationLock(ww, "free");
            WwAcquireContext older = WwAcquireContext.init(ww);
            WwAcquireContext younger = WwAcquireContext.init(ww);
            l1.lock(younger);
            Worker<Integer> old = Worker.start("old", () -> {
                l0.lock(older);
                l1.lock(older);
                int n = older.acquired();
                l1.unlock();
                l0.unlock();
                return n;
            });
            Await.until("the older context waits", () -> l1.queueLength() == 1);
            assertThat(younger.isWounded()).isTrue();
            free.lock(younger); // free lock: a wounded context only dies when it would wait
            assertThat(younger.acquired()).isEqualTo(2);
            free.unlock();
            l1.unlock();
            assertThat(old.join()).isEqualTo(2);
            assertThat(younger.acquired()).isZero();
            free.lock(younger);
            assertThat(younger.isWounded())
                    .as("reset once the context held nothing")
                    .isFalse();
            free.unlock();
        }
    }

    @Nested
    class Interrupts {

        @Test
        void interruptibleLockThrowsAndLeavesNoStateBehind() throws Exception {
            ReservationLock lock = new ReservationLock("a");
            WwAcquireContext[] ctx = new WwAcquireContext[1];
            lock.lock();
            Worker<Void> waiter = Worker.start("waiter", () -> {
                ctx[0] = WwAcquireContext.init(ReservationLock.CLASS);
                lock.lockInterruptible(ctx[0]);
                return null;
            });
            Await.until("the waiter queues", () -> lock.queueLength() == 1);
            waiter.thread().interrupt();
            assertThat(waiter.joinFailure())
                    .isInstanceOf(InterruptedException.class)
                    .hasMessageContaining("interrupted while waiting for a");
            assertThat(lock.queueLength()).isZero();
            assertThat(lock.isHeldByCurrentThread()).isTrue();
            assertThat(ctx[0].acquired()).isZero();
            lock.unlock();
            assertThat(Worker.start("next", () -> {
                                lock.lock();
                                lock.unlock();
                                return true;
                            })
                            .join())
                    .isTrue();
        }

        @Test
        void plainInterruptibleLockThrows() throws Exception {
            ReservationLock lock = new ReservationLock("a");
            lock.lock();
            Worker<Void> waiter = Worker.start("waiter", () -> {
                lock.lockInterruptible();
                return null;
            });
            Await.until("the waiter queues", () -> lock.queueLength() == 1);
            waiter.thread().interrupt();
            assertThat(waiter.joinFailure()).isInstanceOf(InterruptedException.class);
            assertThat(lock.queueLength()).isZero();
            lock.unlock();
        }

        @Test
        void lockSlowInterruptibleThrows() throws Exception {
            ReservationLock lock = new ReservationLock("a");
            lock.lock();
            Worker<Void> waiter = Worker.start("waiter", () -> {
                lock.lockSlowInterruptible(WwAcquireContext.init(ReservationLock.CLASS));
                return null;
            });
            Await.until("the waiter queues", () -> lock.queueLength() == 1);
            waiter.thread().interrupt();
            assertThat(waiter.joinFailure()).isInstanceOf(InterruptedException.class);
            lock.unlock();
            assertThat(lock.isLocked()).isFalse();
        }

        @Test
        void uninterruptibleLockKeepsWaitingAndRestoresTheInterrupt() throws Exception {
            ReservationLock lock = new ReservationLock("a");
            lock.lock();
            Worker<Boolean> waiter = Worker.start("waiter", () -> {
                lock.lock();
                boolean interrupted = Thread.currentThread().isInterrupted();
                lock.unlock();
                return interrupted;
            });
            Await.until("the waiter queues", () -> lock.queueLength() == 1);
            waiter.thread().interrupt();
            Await.until("the interrupt is consumed", () -> !waiter.thread().isInterrupted());
            assertThat(waiter.isDone()).isFalse();
            lock.unlock();
            assertThat(waiter.join()).isTrue();
        }
    }
}
