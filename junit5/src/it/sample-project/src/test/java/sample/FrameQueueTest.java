package sample;

import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.jlockdep.dmabuf.DmaBuf;
import io.jlockdep.dmabuf.DmaBufAttachment;
import io.jlockdep.dmabuf.DmaBufExportInfo;
import io.jlockdep.dmabuf.DmaBufOps;
import io.jlockdep.dmabuf.DmaDataDirection;
import io.jlockdep.dmabuf.SgTable;
import io.jlockdep.junit5.CheckLocking;
import io.jlockdep.junit5.ExpectViolation;
import org.junit.jupiter.api.Test;

@CheckLocking
class FrameQueueTest {

    static DmaBuf buffer() {
        return DmaBuf.export(new DmaBufExportInfo(
                "test-exporter",
                new DmaBufOps() {
                    @Override
                    public SgTable mapDmaBuf(DmaBufAttachment attach, DmaDataDirection direction) {
                        return SgTable.of(0x1000, attach.dmabuf().size());
                    }

                    @Override
                    public void unmapDmaBuf(DmaBufAttachment attach, SgTable table, DmaDataDirection direction) {}

                    @Override
                    public void release(DmaBuf dmabuf) {}
                },
                DmaBuf.PAGE_SIZE,
                new Object()));
    }

    @Test
    void mapsUnderTheLock() {
        assertNotNull(new FrameQueue().mapLocked(buffer()));
    }

    @Test
    void mapsWithoutTheLock() {
        assertNotNull(new FrameQueue().mapFast(buffer()));
    }

    @Test
    @ExpectViolation("dma-buf/importer-locked")
    void expectsItsViolation() {
        new FrameQueue().mapFast(buffer());
    }
}
