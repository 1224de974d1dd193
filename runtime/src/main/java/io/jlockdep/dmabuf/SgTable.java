package io.jlockdep.dmabuf;

import java.util.List;
import java.util.Objects;

/**
 * {@code struct sg_table}: the scatter list of DMA addresses an exporter's {@code map_dma_buf}
 * returns. Compared by identity, as the kernel compares the pointer (an attachment's cached
 * table is recognised by identity in {@code dma_buf_unmap_attachment}).
 */
public final class SgTable {

    /** One entry of the list: {@code sg_dma_address} and {@code sg_dma_len}. */
    public record Scatterlist(long dmaAddress, long length) {
        public Scatterlist {
            if (length <= 0) {
                throw new IllegalArgumentException("scatterlist length must be positive: " + length);
            }
        }
    }

    private final List<Scatterlist> entries;

    public SgTable(List<Scatterlist> entries) {
        this.entries = List.copyOf(Objects.requireNonNull(entries, "entries"));
    }

    /** A table of one contiguous segment. */
    public static SgTable of(long dmaAddress, long length) {
        return new SgTable(List.of(new Scatterlist(dmaAddress, length)));
    }

    public List<Scatterlist> entries() {
        return entries;
    }

    /** {@code sgt->nents}. */
    public int nents() {
        return entries.size();
    }

    @Override
    public String toString() {
        return "SgTable" + entries;
    }
}
