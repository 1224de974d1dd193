package io.jlockdep.dmabuf;

/**
 * {@code struct dma_buf_attach_ops}: what a dynamic importer supplies to
 * {@link DmaBuf#dynamicAttach}.
 */
public interface DmaBufAttachOps {

    /**
     * {@code allow_peer2peer}: the importer can handle peer-to-peer DMA addresses. The attachment
     * is peer-to-peer only when its device can do it as well.
     */
    default boolean allowPeer2peer() {
        return false;
    }

    /**
     * {@code move_notify}: the exporter is moving the buffer; every mapping of {@code attach} must
     * be torn down and re-created on next use. Called by {@link DmaBuf#moveNotify()} with the
     * buffer's reservation lock HELD (DMA-BUF locking convention, exporter rule 3), so the importer
     * must not take it here. Mandatory.
     */
    void moveNotify(DmaBufAttachment attach);
}
