package sample;

import io.jlockdep.dmabuf.Device;
import io.jlockdep.dmabuf.DmaBuf;
import io.jlockdep.dmabuf.DmaBufAttachment;
import io.jlockdep.dmabuf.DmaDataDirection;
import io.jlockdep.dmabuf.SgTable;

/** A user's importer: maps frames for a device. */
public final class FrameQueue {

    private final Device dev = Device.of("capture0");

    /** Correct: the reservation is held around dma_buf_map_attachment. */
    public SgTable mapLocked(DmaBuf buf) {
        DmaBufAttachment attach = buf.attach(dev);
        buf.resv().lock();
        try {
            return DmaBuf.mapAttachment(attach, DmaDataDirection.FROM_DEVICE);
        } finally {
            buf.resv().unlock();
        }
    }

    /** The bug: dma_buf_map_attachment without the reservation. */
    public SgTable mapFast(DmaBuf buf) {
        DmaBufAttachment attach = buf.attach(dev);
        return DmaBuf.mapAttachment(attach, DmaDataDirection.FROM_DEVICE);
    }
}
