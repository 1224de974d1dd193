package io.jlockdep.demo.udmabuf;

import io.jlockdep.dmabuf.DmaBuf;
import io.jlockdep.dmabuf.DmaBufAttachment;
import io.jlockdep.dmabuf.DmaBufExportInfo;
import io.jlockdep.dmabuf.DmaBufOps;
import io.jlockdep.dmabuf.DmaDataDirection;
import io.jlockdep.dmabuf.IosysMap;
import io.jlockdep.dmabuf.SgTable;
import io.jlockdep.dmabuf.VmAreaStruct;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A udmabuf-like simple exporter (drivers/dma-buf/udmabuf.c): memfd pages turned into a
 * dma-buf. Static (no pin/unpin: the pages never move), with CPU access, mmap and vmap. Its CPU
 * access callbacks sync the pages for the CPU under a {@code synchronized} block of its own.
 */
public final class UdmabufExporter implements DmaBufOps {

    /** The memfd's pages. */
    public static final class Udmabuf {
        final long pages;
        final long address;
        long cpuSyncs;
        int vmapCount;

        Udmabuf(long pages, long address) {
            this.pages = pages;
            this.address = address;
        }

        public long cpuSyncs() {
            return cpuSyncs;
        }
    }

    private final AtomicLong nextAddress = new AtomicLong(0x4000_0000L);

    /** UDMABUF_CREATE: pages of a memfd, exported. */
    public DmaBuf create(String name, long pages) {
        Udmabuf ubuf = new Udmabuf(pages, nextAddress.getAndAdd(pages * DmaBuf.PAGE_SIZE));
        return DmaBuf.export(new DmaBufExportInfo("udmabuf:" + name, this, pages * DmaBuf.PAGE_SIZE, ubuf));
    }

    private static Udmabuf ubuf(DmaBuf dmabuf) {
        return (Udmabuf) dmabuf.priv();
    }

    @Override
    public SgTable mapDmaBuf(DmaBufAttachment attach, DmaDataDirection direction) {
        Udmabuf u = ubuf(attach.dmabuf());
        return SgTable.of(u.address, u.pages * DmaBuf.PAGE_SIZE);
    }

    @Override
    public void unmapDmaBuf(DmaBufAttachment attach, SgTable table, DmaDataDirection direction) {}

    @Override
    public void release(DmaBuf dmabuf) {}

    @Override
    public void beginCpuAccess(DmaBuf dmabuf, DmaDataDirection direction) {
        Udmabuf u = ubuf(dmabuf);
        synchronized (u) { // dma_sync_sg_for_cpu on the buffer's table
            u.cpuSyncs++;
        }
    }

    @Override
    public void endCpuAccess(DmaBuf dmabuf, DmaDataDirection direction) {
        Udmabuf u = ubuf(dmabuf);
        synchronized (u) {
            u.cpuSyncs++;
        }
    }

    @Override
    public void mmap(DmaBuf dmabuf, VmAreaStruct vma) {
        // remap_pfn_range of the memfd pages: no lock needed
    }

    @Override
    public IosysMap vmap(DmaBuf dmabuf) {
        Udmabuf u = ubuf(dmabuf);
        u.vmapCount++;
        return new IosysMap(0xffff_a000_0000_0000L + u.address, false);
    }

    @Override
    public void vunmap(DmaBuf dmabuf, IosysMap map) {
        ubuf(dmabuf).vmapCount--;
    }
}
