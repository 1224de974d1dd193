package io.jlockdep.demo.amdgpu;

import io.jlockdep.dmabuf.Device;
import io.jlockdep.dmabuf.DmaBuf;
import io.jlockdep.dmabuf.DmaBufAttachOps;
import io.jlockdep.dmabuf.DmaBufAttachment;
import io.jlockdep.dmabuf.DmaDataDirection;
import io.jlockdep.dmabuf.SgTable;
import io.jlockdep.resv.DrmExec;
import io.jlockdep.resv.WwMutexException;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An amdgpu-like dynamic importer (drivers/gpu/drm/amd/amdgpu/amdgpu_dma_buf.c). It attaches
 * with importer ops, so the exporter may move the buffer: {@code move_notify} (invoked with the
 * reservation held) drops the mapping, and the next command submission maps again under the
 * reservation. A submission locks all its buffers under one ww acquire context (drm_exec), with
 * back-off on contention.
 */
public final class AmdgpuImporter implements DmaBufAttachOps {

    /** One imported buffer: the attachment and its current mapping (valid under the reservation). */
    public static final class Import {
        final DmaBuf dmabuf;
        DmaBufAttachment attach;
        SgTable sgt;
        long invalidations;
        long maps;

        Import(DmaBuf dmabuf) {
            this.dmabuf = dmabuf;
        }

        public DmaBuf dmabuf() {
            return dmabuf;
        }

        public long invalidations() {
            return invalidations;
        }

        public long maps() {
            return maps;
        }
    }

    private final Device dev;
    private final AtomicLong submissions = new AtomicLong();
    private final AtomicLong backoffs = new AtomicLong();

    public AmdgpuImporter(String name) {
        this.dev = new Device(name, true);
    }

    @Override
    public boolean allowPeer2peer() {
        return true;
    }

    /** amdgpu_dma_buf_move_notify: the lock is held; drop the mapping, the next use maps again. */
    @Override
    public void moveNotify(DmaBufAttachment attach) {
        Import imp = (Import) attach.importerPriv();
        if (imp.sgt != null) {
            DmaBuf.unmapAttachment(attach, imp.sgt, DmaDataDirection.BIDIRECTIONAL);
            imp.sgt = null;
            imp.invalidations++;
        }
    }

    /** amdgpu_gem_prime_import: a dynamic attachment (called without the lock). */
    public Import importBuffer(DmaBuf dmabuf) {
        Import imp = new Import(dmabuf);
        imp.attach = dmabuf.dynamicAttach(dev, this, imp);
        return imp;
    }

    /**
     * amdgpu_cs_ioctl: lock every buffer of the submission under one ticket (back-off and retry
     * on contention), map what was invalidated, "execute", unlock.
     */
    public long submit(List<Import> buffers) {
        try (DrmExec exec = new DrmExec(DrmExec.IGNORE_DUPLICATES)) {
            exec.untilAllLocked(e -> {
                for (Import imp : buffers) {
                    e.lockObj(imp.dmabuf.resv());
                }
            });
            backoffs.addAndGet(exec.retries());
            long checksum = 0;
            for (Import imp : buffers) {
                checksum += mapped(imp).entries().get(0).dmaAddress();
            }
            Thread.yield(); // the job is queued to the ring while the buffers stay reserved
            submissions.incrementAndGet();
            return checksum;
        } catch (WwMutexException | InterruptedException e) {
            throw new IllegalStateException("submission failed", e);
        }
    }

    /** The current mapping; maps again after a move. The caller holds the reservation (importer rule 1). */
    private static SgTable mapped(Import imp) {
        if (imp.sgt == null) {
            imp.sgt = DmaBuf.mapAttachment(imp.attach, DmaDataDirection.BIDIRECTIONAL);
            imp.maps++;
        }
        return imp.sgt;
    }

    /** Bug: a fast path that maps without taking the reservation (importer rule 1 broken). */
    public SgTable peekWithoutLock(Import imp) {
        return mapped(imp);
    }

    /** Unmap under the lock, then detach without it. */
    public void release(Import imp) {
        imp.dmabuf.resv().lock();
        try {
            if (imp.sgt != null) {
                DmaBuf.unmapAttachment(imp.attach, imp.sgt, DmaDataDirection.BIDIRECTIONAL);
                imp.sgt = null;
            }
        } finally {
            imp.dmabuf.resv().unlock();
        }
        imp.dmabuf.detach(imp.attach);
    }

    public long submissions() {
        return submissions.get();
    }

    public long backoffs() {
        return backoffs.get();
    }
}
