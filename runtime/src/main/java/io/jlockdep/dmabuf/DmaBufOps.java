package io.jlockdep.dmabuf;

/**
 * {@code struct dma_buf_ops}: the exporter's callbacks (include/linux/dma-buf.h).
 *
 * <p>{@link #mapDmaBuf}, {@link #unmapDmaBuf} and {@link #release} are mandatory (abstract here,
 * as {@code dma_buf_export} rejects ops without them). The others are optional: an implementation
 * that does not override one is treated as the kernel treats a NULL op, which
 * {@link DmaBuf#export} records once. An exporter that implements {@link #pin} must implement
 * {@link #unpin} and is then a dynamic exporter ({@code dma_buf_is_dynamic}).
 *
 * <p>The lock state each callback is invoked in is fixed by the DMA-BUF locking convention
 * (drivers/dma-buf/dma-buf.c):
 * <ul>
 *   <li>exporter rule 1 ({@code dma-buf/exporter-unlocked-callback}): {@code attach},
 *       {@code detach}, {@code release}, {@code begin_cpu_access}, {@code end_cpu_access},
 *       {@code mmap} are called with the reservation lock NOT held, and may take it;</li>
 *   <li>exporter rule 2 ({@code dma-buf/exporter-locked-callback}): {@code pin}, {@code unpin},
 *       {@code map_dma_buf}, {@code unmap_dma_buf}, {@code vmap}, {@code vunmap} are called with
 *       it HELD, and must not take it.</li>
 * </ul>
 * Callbacks fail by throwing {@link DmaBufException}.
 */
public interface DmaBufOps {

    /**
     * {@code attach}: optional. Called by {@link DmaBuf#dynamicAttach} with the lock NOT held
     * (exporter rule 1); may reject the device (e.g. {@link Errno#EBUSY}).
     */
    default void attach(DmaBuf dmabuf, DmaBufAttachment attach) {}

    /** {@code detach}: optional. Called by {@link DmaBuf#detach} with the lock NOT held (exporter rule 1). */
    default void detach(DmaBuf dmabuf, DmaBufAttachment attach) {}

    /**
     * {@code pin}: optional, makes the exporter dynamic. Called with the lock HELD (exporter
     * rule 2): the buffer must stay where it is until {@link #unpin}.
     */
    default void pin(DmaBufAttachment attach) {
        throw new UnsupportedOperationException("pin is not implemented by this exporter");
    }

    /** {@code unpin}: optional, required with {@link #pin}. Called with the lock HELD (exporter rule 2). */
    default void unpin(DmaBufAttachment attach) {
        throw new UnsupportedOperationException("unpin is not implemented by this exporter");
    }

    /**
     * {@code map_dma_buf}: mandatory. Called with the lock HELD (exporter rule 2). Returns the
     * device addresses of the buffer for {@code attach}; null means out of memory.
     */
    SgTable mapDmaBuf(DmaBufAttachment attach, DmaDataDirection direction);

    /** {@code unmap_dma_buf}: mandatory. Called with the lock HELD (exporter rule 2). */
    void unmapDmaBuf(DmaBufAttachment attach, SgTable table, DmaDataDirection direction);

    /**
     * {@code release}: mandatory. Called exactly once, when the last reference to the buffer goes,
     * with the lock NOT held (exporter rule 1).
     */
    void release(DmaBuf dmabuf);

    /** {@code begin_cpu_access}: optional. Called with the lock NOT held (exporter rule 1). */
    default void beginCpuAccess(DmaBuf dmabuf, DmaDataDirection direction) {}

    /** {@code end_cpu_access}: optional. Called with the lock NOT held (exporter rule 1). */
    default void endCpuAccess(DmaBuf dmabuf, DmaDataDirection direction) {}

    /**
     * {@code mmap}: optional; without it {@link DmaBuf#mmap} fails with {@link Errno#EINVAL}.
     * Called with the lock NOT held (exporter rule 1, since the 2023 change that moved mmap there).
     */
    default void mmap(DmaBuf dmabuf, VmAreaStruct vma) {
        throw new UnsupportedOperationException("mmap is not implemented by this exporter");
    }

    /**
     * {@code vmap}: optional; without it {@link DmaBuf#vmap} fails with {@link Errno#EINVAL}.
     * Called with the lock HELD (exporter rule 2).
     */
    default IosysMap vmap(DmaBuf dmabuf) {
        throw new UnsupportedOperationException("vmap is not implemented by this exporter");
    }

    /** {@code vunmap}: optional. Called with the lock HELD (exporter rule 2). */
    default void vunmap(DmaBuf dmabuf, IosysMap map) {}

    /**
     * {@code cache_sgt_mapping}: when true the first mapping of an attachment is cached and
     * returned again until detach. Not allowed together with {@link #pin}.
     */
    default boolean cacheSgtMapping() {
        return false;
    }
}
