package io.jlockdep.dmabuf;

import io.jlockdep.resv.ReservationLock;
import java.util.Objects;

/**
 * {@code struct dma_buf_export_info} ({@code DEFINE_DMA_BUF_EXPORT_INFO}): what
 * {@link DmaBuf#export} needs.
 *
 * @param expName the exporter's name ({@code exp_name})
 * @param ops     the exporter's callbacks
 * @param size    the buffer's size in bytes
 * @param priv    the exporter's object behind the buffer (mandatory, as in the kernel)
 * @param resv    a reservation object shared with other buffers, or null for a new one
 */
public record DmaBufExportInfo(String expName, DmaBufOps ops, long size, Object priv, ReservationLock resv) {

    /** Export info with a reservation object of the buffer's own. */
    public DmaBufExportInfo(String expName, DmaBufOps ops, long size, Object priv) {
        this(expName, ops, size, priv, null);
    }

    public DmaBufExportInfo {
        Objects.requireNonNull(expName, "expName");
    }
}
