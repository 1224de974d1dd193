package io.jlockdep.dmabuf;

import java.util.Objects;

/**
 * A dma-buf call that failed: the kernel's negative errno (or {@code ERR_PTR}) return, including
 * the misuse the kernel WARNs on and rejects. Exporter callbacks throw it to fail an operation.
 * A call that throws it leaves the buffer, its attachments and its mappings as they were.
 */
public class DmaBufException extends RuntimeException {

    private final Errno errno;

    public DmaBufException(Errno errno, String message) {
        super(Objects.requireNonNull(errno, "errno") + ": " + message);
        this.errno = errno;
    }

    public Errno errno() {
        return errno;
    }
}
