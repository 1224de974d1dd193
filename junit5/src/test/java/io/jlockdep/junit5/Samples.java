package io.jlockdep.junit5;

import io.jlockdep.dmabuf.Device;
import io.jlockdep.dmabuf.DmaBuf;
import io.jlockdep.dmabuf.DmaBufAttachment;
import io.jlockdep.dmabuf.DmaBufExportInfo;
import io.jlockdep.dmabuf.DmaBufOps;
import io.jlockdep.dmabuf.DmaDataDirection;
import io.jlockdep.dmabuf.SgTable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Test classes that the extension's own tests run through JUnit's EngineTestKit. Nested and
 * static, so Surefire and Failsafe never pick them up by themselves.
 */
final class Samples {

    private Samples() {}

    static final class Exporter implements DmaBufOps {
        @Override
        public SgTable mapDmaBuf(DmaBufAttachment attach, DmaDataDirection direction) {
            return SgTable.of(0x1000, attach.dmabuf().size());
        }

        @Override
        public void unmapDmaBuf(DmaBufAttachment attach, SgTable table, DmaDataDirection direction) {}

        @Override
        public void release(DmaBuf dmabuf) {}
    }

    static DmaBufAttachment attached() {
        DmaBuf buf = DmaBuf.export(new DmaBufExportInfo("sample", new Exporter(), DmaBuf.PAGE_SIZE, new Object()));
        return buf.attach(Device.of("dev"));
    }

    /** The same call site each time: a second run is a repeat of the first report. */
    static void mapWithoutLock() {
        DmaBufAttachment attach = attached();
        DmaBuf.mapAttachment(attach, DmaDataDirection.TO_DEVICE);
    }

    static void mapWithLock() {
        DmaBufAttachment attach = attached();
        attach.dmabuf().resv().lock();
        try {
            SgTable sgt = DmaBuf.mapAttachment(attach, DmaDataDirection.TO_DEVICE);
            DmaBuf.unmapAttachment(attach, sgt, DmaDataDirection.TO_DEVICE);
        } finally {
            attach.dmabuf().resv().unlock();
        }
    }

    @CheckLocking
    static class Clean {
        @Test
        void mapsUnderTheLock() {
            mapWithLock();
        }
    }

    @CheckLocking
    static class MapsUnlocked {
        @Test
        void mapsWithoutTheLock() {
            mapWithoutLock();
        }
    }

    /** A lock contract written in an annotation, broken by a test (issue 18). */
    static final class Inventory {
        private final Object lock = new Object();

        @javax.annotation.concurrent.GuardedBy("lock")
        private int count;

        @SuppressWarnings("GuardedBy") // the bug under test: Error Prone would refuse it at compile time
        void addUnlocked() {
            count++;
        }
    }

    @CheckLocking
    static class GuardedFieldUnlocked {
        @Test
        void writesWithoutTheLock() {
            new Inventory().addUnlocked();
        }
    }

    @CheckLocking
    static class OnAThreadItStarted {
        @Test
        void aWorkerMapsWithoutTheLock() throws InterruptedException {
            Thread worker = new Thread(Samples::mapWithoutLock, "worker");
            worker.start();
            worker.join(TimeUnit.SECONDS.toMillis(30));
        }
    }

    @CheckLocking
    static class EndsHoldingALock {
        static final ReentrantLock LOCK = new ReentrantLock();

        @Test
        void forgetsToUnlock() {
            LOCK.lock();
        }
    }

    @CheckLocking
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class SameBugTwiceThenClean {
        @Test
        @Order(1)
        void first() {
            mapWithoutLock();
        }

        @Test
        @Order(2)
        void second() {
            mapWithoutLock();
        }

        @Test
        @Order(3)
        void thenACleanTest() {
            mapWithLock();
        }
    }

    @CheckLocking
    @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
    static class AbbaAcrossTests {
        static final ReentrantLock A = new ReentrantLock();
        static final ReentrantLock B = new ReentrantLock();

        @Test
        @Order(1)
        void aThenB() {
            A.lock();
            B.lock();
            B.unlock();
            A.unlock();
        }

        @Test
        @Order(2)
        void bThenA() {
            B.lock();
            A.lock();
            A.unlock();
            B.unlock();
        }
    }

    @CheckLocking
    static class Expects {
        @Test
        @ExpectViolation("dma-buf/importer-locked")
        void theViolationItExpects() {
            mapWithoutLock();
        }

        @Test
        @ExpectViolation("dma-buf/importer-locked")
        void anExpectedViolationThatDoesNotHappen() {
            mapWithLock();
        }
    }

    /** No annotation: only JUnit's extension auto-detection can check it. */
    static class NotAnnotated {
        @Test
        void mapsWithoutTheLock() {
            mapWithoutLock();
        }
    }
}
