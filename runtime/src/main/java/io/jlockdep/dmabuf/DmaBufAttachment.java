package io.jlockdep.dmabuf;

import java.util.IdentityHashMap;

/**
 * {@code struct dma_buf_attachment}: one device's attachment to a {@link DmaBuf}, created by
 * {@link DmaBuf#attach} or {@link DmaBuf#dynamicAttach} and ended by {@link DmaBuf#detach}.
 *
 * <p>Besides the kernel's fields it tracks the tables mapped through it and not yet unmapped,
 * so that unmapping a table that was never mapped (or twice) is rejected instead of reaching
 * the exporter. That bookkeeping is guarded by the buffer's reservation lock, as every
 * mapping call is made under it.
 */
public final class DmaBufAttachment {

    private final DmaBuf dmabuf;
    private final Device dev;
    private final DmaBufAttachOps importerOps;
    private final Object importerPriv;
    private final boolean peer2peer;
    private volatile Object priv;
    private volatile boolean detached;

    /** The cached mapping ({@code attach->sgt}) and its direction; guarded by the reservation lock. */
    SgTable sgt;

    DmaDataDirection dir;
    /** Tables mapped through this attachment and not unmapped, with their direction. */
    final IdentityHashMap<SgTable, DmaDataDirection> mapped = new IdentityHashMap<>();

    DmaBufAttachment(DmaBuf dmabuf, Device dev, DmaBufAttachOps importerOps, Object importerPriv) {
        this.dmabuf = dmabuf;
        this.dev = dev;
        this.importerOps = importerOps;
        this.importerPriv = importerPriv;
        this.peer2peer = importerOps != null && importerOps.allowPeer2peer() && dev.peer2peer();
    }

    /** {@code attach->dmabuf}. */
    public DmaBuf dmabuf() {
        return dmabuf;
    }

    /** {@code attach->dev}. */
    public Device dev() {
        return dev;
    }

    /** {@code attach->importer_ops}: null for a static importer. */
    public DmaBufAttachOps importerOps() {
        return importerOps;
    }

    /** {@code attach->importer_priv}. */
    public Object importerPriv() {
        return importerPriv;
    }

    /** {@code attach->peer2peer}: both the importer and its device can do peer-to-peer DMA. */
    public boolean peer2peer() {
        return peer2peer;
    }

    /** {@code attach->priv}: the exporter's private data, usually set in its attach callback. */
    public Object priv() {
        return priv;
    }

    public void setPriv(Object priv) {
        this.priv = priv;
    }

    /** {@code dma_buf_attachment_is_dynamic(attach)}: attached with importer ops. */
    public boolean isDynamic() {
        return importerOps != null;
    }

    /** Whether {@link DmaBuf#detach} has run for this attachment. */
    public boolean isDetached() {
        return detached;
    }

    /** Whether this attachment holds a mapping cached by the core (static/dynamic mismatch or cache_sgt_mapping). */
    public boolean hasCachedMapping() {
        return sgt != null;
    }

    boolean markDetached() {
        if (detached) {
            return false;
        }
        detached = true;
        return true;
    }

    @Override
    public String toString() {
        return "DmaBufAttachment[" + dmabuf.name() + " <- " + dev.name() + (isDynamic() ? " dynamic" : " static")
                + (detached ? " detached" : "") + "]";
    }
}
