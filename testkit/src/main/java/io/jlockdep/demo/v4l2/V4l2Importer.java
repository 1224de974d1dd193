package io.jlockdep.demo.v4l2;

import io.jlockdep.dmabuf.Device;
import io.jlockdep.dmabuf.DmaBuf;
import io.jlockdep.dmabuf.DmaBufAttachment;
import io.jlockdep.dmabuf.DmaDataDirection;
import io.jlockdep.dmabuf.SgTable;

/**
 * A v4l2-like static importer (drivers/media/common/videobuf2/videobuf2-dma-contig.c): a capture
 * device that queues dma-bufs as frame buffers. Static (no importer ops: the exporter pins the
 * buffer for it) and it only uses the {@code _unlocked} API, never holding the reservation itself.
 */
public final class V4l2Importer {

    /** A queued frame buffer. */
    public static final class Frame {
        final DmaBuf dmabuf;
        final DmaBufAttachment attach;
        final SgTable sgt;

        Frame(DmaBuf dmabuf, DmaBufAttachment attach, SgTable sgt) {
            this.dmabuf = dmabuf;
            this.attach = attach;
            this.sgt = sgt;
        }

        public SgTable sgt() {
            return sgt;
        }
    }

    private final Device dev;

    public V4l2Importer(String name) {
        this.dev = Device.of(name);
    }

    /** vb2_dc_attach_dmabuf + vb2_dc_map_dmabuf: attach, then map with the unlocked variant. */
    public Frame queue(DmaBuf dmabuf) {
        DmaBufAttachment attach = dmabuf.attach(dev);
        SgTable sgt = DmaBuf.mapAttachmentUnlocked(attach, DmaDataDirection.FROM_DEVICE);
        return new Frame(dmabuf, attach, sgt);
    }

    /** vb2_dc_unmap_dmabuf + vb2_dc_detach_dmabuf. */
    public void dequeue(Frame frame) {
        DmaBuf.unmapAttachmentUnlocked(frame.attach, frame.sgt, DmaDataDirection.FROM_DEVICE);
        frame.dmabuf.detach(frame.attach);
    }
}
