package io.jlockdep.dmabuf;

/**
 * {@code struct vm_area_struct}: a user-space mapping being set up by {@code dma_buf_mmap}, in
 * pages. {@code dma_buf_mmap} sets its file and page offset before calling the exporter.
 */
public final class VmAreaStruct {

    private final long pages;
    private volatile long vmPgoff;
    private volatile DmaBuf vmFile;

    /** A mapping of {@code pages} pages ({@code vma_pages(vma)}). */
    public VmAreaStruct(long pages) {
        if (pages <= 0) {
            throw new IllegalArgumentException("a vma spans at least one page: " + pages);
        }
        this.pages = pages;
    }

    /** {@code vma_pages(vma)}. */
    public long pages() {
        return pages;
    }

    /** {@code vma->vm_pgoff}: offset in pages into the buffer. */
    public long vmPgoff() {
        return vmPgoff;
    }

    /** The buffer whose file backs the mapping ({@code vma->vm_file}), or null before mmap. */
    public DmaBuf vmFile() {
        return vmFile;
    }

    void setFile(DmaBuf file, long pgoff) {
        this.vmFile = file;
        this.vmPgoff = pgoff;
    }
}
