package io.jlockdep.dmabuf;

import java.util.Objects;

/**
 * A device that attaches to dma-bufs ({@code struct device}), reduced to what the dma-buf core
 * looks at: a name, and whether it can do peer-to-peer DMA over the bus
 * ({@code pci_p2pdma_distance} in the kernel's exporters).
 */
public record Device(String name, boolean peer2peer) {

    public Device {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a device needs a non-blank name");
        }
    }

    /** A device without peer-to-peer capability. */
    public static Device of(String name) {
        return new Device(name, false);
    }

    @Override
    public String toString() {
        return name;
    }
}
