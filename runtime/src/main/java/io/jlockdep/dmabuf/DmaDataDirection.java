package io.jlockdep.dmabuf;

/** {@code enum dma_data_direction} (include/linux/dma-direction.h). */
public enum DmaDataDirection {
    /** {@code DMA_BIDIRECTIONAL}. */
    BIDIRECTIONAL,
    /** {@code DMA_TO_DEVICE}. */
    TO_DEVICE,
    /** {@code DMA_FROM_DEVICE}. */
    FROM_DEVICE,
    /** {@code DMA_NONE}: not a valid direction for a mapping or for CPU access. */
    NONE;

    /** {@code valid_dma_direction(dir)}. */
    public boolean isValid() {
        return this != NONE;
    }
}
