package io.jlockdep.resv;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jlockdep.testing.Await;
import io.jlockdep.testing.Worker;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;

class DrmExecTest {

    @Test
    void locksEveryObjectAndEndsTheAcquirePhase() throws Exception {
        List<ReservationLock> set =
                List.of(new ReservationLock("a"), new ReservationLock("b"), new ReservationLock("c"));
        DrmExec exec = new DrmExec(0);
        exec.untilAllLocked(e -> {
            for (ReservationLock r : set) {
                e.lockObj(r);
            }
        });
        assertThat(exec.objects()).containsExactlyElementsOf(set);
        assertThat(set).allMatch(ReservationLock::isHeldByCurrentThread);
        assertThat(exec.ticket().isDone()).isTrue();
        assertThat(exec.ticket().acquired()).isEqualTo(3);
        exec.fini();
        assertThat(set).noneMatch(ReservationLock::isLocked);
        assertThat(exec.ticket().isFinished()).isTrue();
        assertThat(exec.ticket().acquired()).isZero();
    }

    @Test
    void duplicatesAreIgnoredWithTheFlag() throws Exception {
        ReservationLock a = new ReservationLock("a");
        try (DrmExec exec = new DrmExec(DrmExec.IGNORE_DUPLICATES)) {
            exec.untilAllLocked(e -> {
                e.lockObj(a);
                e.lockObj(a);
            });
            assertThat(exec.objects()).containsExactly(a);
        }
        assertThat(a.isLocked()).isFalse();
    }

    @Test
    void duplicatesAreAnErrorWithoutTheFlagAndCloseStillUnlocks() {
        ReservationLock a = new ReservationLock("a");
        DrmExec exec = new DrmExec(0);
        assertThatThrownBy(() -> exec.untilAllLocked(e -> {
                    e.lockObj(a);
                    e.lockObj(a);
                }))
                .isInstanceOf(WwAlreadyHeldException.class);
        assertThat(a.isHeldByCurrentThread()).isTrue();
        exec.close();
        assertThat(a.isLocked()).isFalse();
        assertThatThrownBy(() -> exec.untilAllLocked(e -> {}))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("after fini");
    }

    @Test
    void rejectsUnknownFlagsAndUseOutsideTheLoop() {
        assertThatThrownBy(() -> new DrmExec(8))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("0x8");
        DrmExec exec = new DrmExec(0);
        assertThatThrownBy(() -> exec.lockObj(new ReservationLock()))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("outside untilAllLocked");
    }

    @Test
    void backsOffReLocksTheContendedObjectSlowAndRetries() throws Exception {
        WwClass wd = WwClass.waitDie("drm_exec_test_wd");
        ReservationLock a = new ReservationLock(wd, "a");
        ReservationLock b = new ReservationLock(wd, "b");
        WwAcquireContext older = WwAcquireContext.init(wd);
        b.lock(older); // the older transaction holds b
        CountDownLatch bodyRuns = new CountDownLatch(2);
        Worker<Integer> younger = Worker.start("younger", () -> {
            try (DrmExec exec = new DrmExec(0, wd)) {
                exec.untilAllLocked(e -> {
                    bodyRuns.countDown();
                    e.lockObj(a);
                    e.lockObj(b); // first round: b is held by an older context -> EDEADLK
                });
                assertThat(exec.objects()).containsExactlyInAnyOrder(a, b);
                return exec.retries();
            }
        });
        Await.until(
                "the younger transaction backed off and waits for b in lockSlow",
                () -> bodyRuns.getCount() == 0 && b.queueLength() == 1);
        assertThat(a.isLocked()).as("the back-off released a").isFalse();
        b.unlock();
        assertThat(younger.join()).isEqualTo(1);
        assertThat(a.isLocked()).isFalse();
        assertThat(b.isLocked()).isFalse();
    }

    @Test
    void interruptibleWaitThrowsAndCloseReleasesWhatWasTaken() throws Exception {
        ReservationLock a = new ReservationLock("a");
        ReservationLock b = new ReservationLock("b");
        b.lock();
        Worker<Boolean> worker = Worker.start("interruptible", () -> {
            DrmExec exec = new DrmExec(DrmExec.INTERRUPTIBLE_WAIT);
            try {
                exec.untilAllLocked(e -> {
                    e.lockObj(a);
                    e.lockObj(b);
                });
                return false;
            } catch (InterruptedException expected) {
                boolean heldA = a.isHeldByCurrentThread();
                exec.close();
                return heldA && !a.isLocked();
            }
        });
        Await.until("the transaction waits for b", () -> b.queueLength() == 1);
        worker.thread().interrupt();
        assertThat(worker.join()).isTrue();
        b.unlock();
    }
}
