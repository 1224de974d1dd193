package io.jlockdep.dmabuf;

/** The kernel error numbers the dma-buf functions return (include/uapi/asm-generic/errno-base.h). */
public enum Errno {
    ENOENT(2),
    EINTR(4),
    EBADF(9),
    ENOMEM(12),
    EBUSY(16),
    EINVAL(22),
    EOVERFLOW(75);

    private final int value;

    Errno(int value) {
        this.value = value;
    }

    /** The positive errno value; the kernel returns its negation. */
    public int value() {
        return value;
    }
}
