package io.jlockdep.dmabuf;

/**
 * {@code struct iosys_map}: a kernel virtual mapping of a whole buffer, returned by
 * {@code dma_buf_vmap}. Two maps are equal when address and memory type are
 * ({@code iosys_map_is_equal}).
 *
 * @param vaddr   the virtual address (an opaque number in this model)
 * @param isIomem whether it is I/O memory rather than system memory
 */
public record IosysMap(long vaddr, boolean isIomem) {

    public IosysMap {
        if (vaddr == 0) {
            throw new IllegalArgumentException("an iosys_map needs a non-null address");
        }
    }
}
