package io.jlockdep.dmabuf;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A static exporter (no pin/unpin) that records every callback with the lock state it was
 * invoked in: {@code "map_dma_buf(locked)"}, {@code "attach(unlocked)"}.
 */
class RecordingExporter implements DmaBufOps {

    final List<String> calls = new CopyOnWriteArrayList<>();
    final AtomicInteger releases = new AtomicInteger();
    private final AtomicLong addresses = new AtomicLong(0x1000_0000L);
    volatile DmaBufException failAttach;
    volatile boolean mapReturnsNull;

    static String state(DmaBuf dmabuf) {
        return dmabuf.resv().isHeldByCurrentThread() ? "locked" : "unlocked";
    }

    void record(String callback, DmaBuf dmabuf) {
        calls.add(callback + "(" + state(dmabuf) + ")");
    }

    @Override
    public void attach(DmaBuf dmabuf, DmaBufAttachment attach) {
        record("attach", dmabuf);
        if (failAttach != null) {
            throw failAttach;
        }
        attach.setPriv("exporter-data-for-" + attach.dev().name());
    }

    @Override
    public void detach(DmaBuf dmabuf, DmaBufAttachment attach) {
        record("detach", dmabuf);
    }

    @Override
    public SgTable mapDmaBuf(DmaBufAttachment attach, DmaDataDirection direction) {
        record("map_dma_buf", attach.dmabuf());
        if (mapReturnsNull) {
            return null;
        }
        return SgTable.of(addresses.getAndAdd(0x10_0000L), attach.dmabuf().size());
    }

    @Override
    public void unmapDmaBuf(DmaBufAttachment attach, SgTable table, DmaDataDirection direction) {
        record("unmap_dma_buf", attach.dmabuf());
    }

    @Override
    public void release(DmaBuf dmabuf) {
        record("release", dmabuf);
        releases.incrementAndGet();
    }

    @Override
    public void beginCpuAccess(DmaBuf dmabuf, DmaDataDirection direction) {
        record("begin_cpu_access:" + direction, dmabuf);
    }

    @Override
    public void endCpuAccess(DmaBuf dmabuf, DmaDataDirection direction) {
        record("end_cpu_access:" + direction, dmabuf);
    }

    @Override
    public void mmap(DmaBuf dmabuf, VmAreaStruct vma) {
        record("mmap", dmabuf);
    }

    @Override
    public IosysMap vmap(DmaBuf dmabuf) {
        record("vmap", dmabuf);
        return new IosysMap(0xffff_8000_0000_0000L, false);
    }

    @Override
    public void vunmap(DmaBuf dmabuf, IosysMap map) {
        record("vunmap", dmabuf);
    }

    /** A dynamic exporter: the same, with pin and unpin. */
    static class Dynamic extends RecordingExporter {
        volatile DmaBufException failPin;

        @Override
        public void pin(DmaBufAttachment attach) {
            record("pin", attach.dmabuf());
            if (failPin != null) {
                throw failPin;
            }
        }

        @Override
        public void unpin(DmaBufAttachment attach) {
            record("unpin", attach.dmabuf());
        }
    }

    /** A static exporter that asks the core to cache the first mapping of each attachment. */
    static class Caching extends RecordingExporter {
        @Override
        public boolean cacheSgtMapping() {
            return true;
        }
    }
}
