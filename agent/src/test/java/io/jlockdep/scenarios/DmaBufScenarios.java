package io.jlockdep.scenarios;

import io.jlockdep.dmabuf.Device;
import io.jlockdep.dmabuf.DmaBuf;
import io.jlockdep.dmabuf.DmaBufAttachment;
import io.jlockdep.dmabuf.DmaBufExportInfo;
import io.jlockdep.dmabuf.DmaBufOps;
import io.jlockdep.dmabuf.DmaDataDirection;
import io.jlockdep.dmabuf.IosysMap;
import io.jlockdep.dmabuf.SgTable;
import io.jlockdep.dmabuf.VmAreaStruct;

/**
 * The programs of {@link Scenarios} about the DMA-BUF convention: a simple exporter, then one
 * correct flow and one violation per rule of the built-in spec. Registered by name in
 * {@link Scenarios}.
 */
final class DmaBufScenarios {

    private DmaBufScenarios() {}

    /** A simple exporter: maps anything, optionally takes the reservation where it must not. */
    static final class Exporter implements DmaBufOps {
        volatile boolean lockInMap;

        @Override
        public SgTable mapDmaBuf(DmaBufAttachment attach, DmaDataDirection direction) {
            if (lockInMap) {
                attach.dmabuf().resv().lock(); // exporter rule 2 broken: map_dma_buf is invoked locked
                attach.dmabuf().resv().unlock();
            }
            return SgTable.of(0x1000_0000L, attach.dmabuf().size());
        }

        @Override
        public void unmapDmaBuf(DmaBufAttachment attach, SgTable table, DmaDataDirection direction) {}

        @Override
        public void release(DmaBuf dmabuf) {}

        @Override
        public void beginCpuAccess(DmaBuf dmabuf, DmaDataDirection direction) {
            dmabuf.resv().lock(); // allowed: invoked unlocked (exporter rule 1)
            dmabuf.resv().unlock();
        }

        @Override
        public void mmap(DmaBuf dmabuf, VmAreaStruct vma) {}

        @Override
        public IosysMap vmap(DmaBuf dmabuf) {
            return new IosysMap(0xffff_8000_0000_0000L, false);
        }
    }

    static DmaBuf export(Exporter exporter) {
        return DmaBuf.export(new DmaBufExportInfo("it-exporter", exporter, 4 * DmaBuf.PAGE_SIZE, new Object()));
    }

    static void dmaBufClean() {
        DmaBuf buf = export(new Exporter());
        DmaBufAttachment attach = buf.attach(Device.of("gpu0"));
        buf.resv().lock();
        try {
            SgTable sgt = DmaBuf.mapAttachment(attach, DmaDataDirection.BIDIRECTIONAL);
            DmaBuf.unmapAttachment(attach, sgt, DmaDataDirection.BIDIRECTIONAL);
            IosysMap map = buf.vmap();
            buf.vunmap(map);
            buf.moveNotify();
        } finally {
            buf.resv().unlock();
        }
        SgTable sgt = DmaBuf.mapAttachmentUnlocked(attach, DmaDataDirection.TO_DEVICE);
        DmaBuf.unmapAttachmentUnlocked(attach, sgt, DmaDataDirection.TO_DEVICE);
        buf.beginCpuAccess(DmaDataDirection.FROM_DEVICE);
        buf.endCpuAccess(DmaDataDirection.FROM_DEVICE);
        buf.mmap(new VmAreaStruct(1), 0);
        IosysMap map = buf.vmapUnlocked();
        buf.vunmapUnlocked(map);
        int fd = buf.fd();
        DmaBuf again = DmaBuf.get(fd);
        again.put();
        buf.detach(attach);
        DmaBuf.closeFd(fd);
    }

    static void importerLocked() {
        DmaBuf buf = export(new Exporter());
        DmaBufAttachment attach = buf.attach(Device.of("gpu0"));
        SgTable sgt = DmaBuf.mapAttachment(attach, DmaDataDirection.BIDIRECTIONAL); // without the lock
        buf.resv().lock();
        DmaBuf.unmapAttachment(attach, sgt, DmaDataDirection.BIDIRECTIONAL);
        buf.resv().unlock();
        buf.detach(attach);
        buf.put();
    }

    static void importerUnlocked() {
        DmaBuf buf = export(new Exporter());
        buf.resv().lock();
        int fd = buf.fd(); // with the lock
        buf.resv().unlock();
        DmaBuf.closeFd(fd);
    }

    /** dma_buf_attach takes the reservation itself: with it held, a self-deadlock. Run it with mode=fail. */
    static void importerAttachesLocked() {
        DmaBuf buf = export(new Exporter());
        buf.resv().lock();
        buf.attach(Device.of("gpu0"));
        throw new AssertionError("unreachable: attach under the reservation self-deadlocks");
    }

    static void exporterUnlockedCallback() {
        DmaBuf buf = export(new Exporter());
        buf.resv().lock();
        try {
            buf.ops().endCpuAccess(buf, DmaDataDirection.FROM_DEVICE); // a callback invoked unlocked, called locked
        } finally {
            buf.resv().unlock();
        }
        buf.put();
    }

    static void exporterLockedCallback() {
        DmaBuf buf = export(new Exporter());
        DmaBufAttachment attach = buf.attach(Device.of("gpu0"));
        SgTable sgt = buf.ops().mapDmaBuf(attach, DmaDataDirection.TO_DEVICE); // invoked locked, called unlocked
        buf.resv().lock();
        buf.ops().unmapDmaBuf(attach, sgt, DmaDataDirection.TO_DEVICE);
        buf.resv().unlock();
        buf.detach(attach);
        buf.put();
    }

    /** In a real kernel a self-deadlock: run it with mode=fail. */
    static void exporterLocksInMap() {
        Exporter exporter = new Exporter();
        exporter.lockInMap = true;
        DmaBuf buf = export(exporter);
        DmaBufAttachment attach = buf.attach(Device.of("gpu0"));
        buf.resv().lock();
        DmaBuf.mapAttachment(attach, DmaDataDirection.TO_DEVICE);
        throw new AssertionError("unreachable: the exporter's lock inside map_dma_buf self-deadlocks");
    }

    static void exporterLocked() {
        DmaBuf buf = export(new Exporter());
        buf.moveNotify(); // without the lock
        buf.put();
    }
}
