package io.jlockdep.dmabuf;

import io.jlockdep.resv.ReservationLock;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * {@code struct dma_buf} and the functions of drivers/dma-buf/dma-buf.c (Linux 6.2 and later,
 * the dynamic locking specification).
 *
 * <h2>Names</h2>
 * Each kernel function {@code dma_buf_xxx} is {@code xxx} here in camelCase: an instance method
 * when its first kernel argument is the {@code dma_buf}, a static method taking the attachment
 * when it is a {@code dma_buf_attachment} ({@code dma_buf_map_attachment(attach, dir)} is
 * {@link #mapAttachment(DmaBufAttachment, DmaDataDirection)}).
 *
 * <h2>The DMA-BUF locking convention</h2>
 * "The lock" is the buffer's reservation lock, {@link #resv()}.
 * <ul>
 *   <li>Importer rule 1 ({@code dma-buf/importer-locked}): the caller must HOLD the lock for
 *       {@link #pin}, {@link #unpin}, {@link #mapAttachment}, {@link #unmapAttachment},
 *       {@link #vmap}, {@link #vunmap}.</li>
 *   <li>Importer rule 2 ({@code dma-buf/importer-unlocked}): the caller must NOT hold it for
 *       {@link #attach}, {@link #dynamicAttach}, {@link #detach}, {@link #export}, {@link #fd},
 *       {@link #get}, {@link #put}, {@link #mmap}, {@link #beginCpuAccess}, {@link #endCpuAccess},
 *       {@link #mapAttachmentUnlocked}, {@link #unmapAttachmentUnlocked}, {@link #vmapUnlocked},
 *       {@link #vunmapUnlocked}: they take the lock themselves, or the exporter may.</li>
 *   <li>Exporter rule 3 ({@code dma-buf/exporter-locked}): {@link #moveNotify} is called with the
 *       lock HELD.</li>
 * </ul>
 * The exporter's callbacks are invoked in the lock state {@link DmaBufOps} documents. Like a
 * kernel built without lockdep, this class follows the convention and does not check callers
 * against it: the jlockdep agent does. It does reject what the kernel WARNs on or rejects
 * (misuse such as detaching twice, unmapping a table never mapped, a put after the last
 * reference, an invalid direction, a released buffer) with a {@link DmaBufException}, leaving
 * the state as it was.
 *
 * <h2>Model choices</h2>
 * The kernel's {@code CONFIG_DMABUF_MOVE_NOTIFY} is taken as enabled: a dynamic importer of a
 * dynamic exporter is not pinned by mapping, it is told of moves through {@code move_notify}.
 * Fences are not modelled, so waiting for them is a no-op. The file descriptor table is a
 * process-wide map: {@link #fd()} installs the caller's reference in it and {@link #closeFd}
 * drops it, as {@code fd_install} and {@code close(2)} do.
 *
 * <p>This class is longer than 500 lines on purpose: it is {@code struct dma_buf} and the
 * functions of one kernel file, each named after its kernel function, so that a reader can put
 * it next to drivers/dma-buf/dma-buf.c; cutting it would break that correspondence.
 */
public final class DmaBuf {

    /** {@code PAGE_SHIFT}. */
    public static final int PAGE_SHIFT = 12;
    /** {@code PAGE_SIZE}. */
    public static final long PAGE_SIZE = 1L << PAGE_SHIFT;

    private static final Map<Integer, DmaBuf> FD_TABLE = new ConcurrentHashMap<>();
    private static final AtomicInteger NEXT_FD = new AtomicInteger(3);
    private static final AtomicLong INODES = new AtomicLong();
    /** Which optional callbacks each ops class overrides, computed once per class at export. */
    private static final ClassValue<OptionalOps> OPTIONAL_OPS = new ClassValue<>() {
        @Override
        protected OptionalOps computeValue(Class<?> type) {
            return OptionalOps.of(type);
        }
    };

    private final DmaBufOps ops;
    private final OptionalOps optional;
    private final long size;
    private final String expName;
    private final long inode;
    private final Object priv;
    private final ReservationLock resv;
    private final boolean ownResv;
    /** File references: export creates one; {@link #getDmaBuf()} and {@link #get} add; put drops. */
    private final AtomicLong refcount = new AtomicLong(1);

    /** {@code dmabuf->attachments}; guarded by {@link #resv}. */
    private final ArrayList<DmaBufAttachment> attachments = new ArrayList<>();
    /** {@code dmabuf->vmapping_counter} and {@code dmabuf->vmap_ptr}; guarded by {@link #resv}. */
    private int vmappingCounter;

    private IosysMap vmapPtr;

    private DmaBuf(DmaBufExportInfo info, OptionalOps optional) {
        this.ops = info.ops();
        this.optional = optional;
        this.size = info.size();
        this.expName = info.expName();
        this.inode = INODES.incrementAndGet();
        this.priv = info.priv();
        this.ownResv = info.resv() == null;
        this.resv = ownResv ? new ReservationLock("dma_buf#" + inode + "(" + expName + ").resv") : info.resv();
    }

    // ------------------------------------------------------------------ life cycle

    /**
     * {@code dma_buf_export(exp_info)}: wraps the exporter's object in a new buffer with one
     * reference. Importer rule 2: called without the lock held.
     *
     * @throws DmaBufException EINVAL when the info is incomplete: no ops or priv, a negative
     *         size, pin without unpin (or the reverse), or cache_sgt_mapping with pin
     */
    public static DmaBuf export(DmaBufExportInfo info) {
        if (info == null) {
            throw new DmaBufException(Errno.EINVAL, "dma_buf_export needs export info");
        }
        if (info.ops() == null) {
            throw new DmaBufException(Errno.EINVAL, "exporter '" + info.expName() + "' gave no dma_buf_ops");
        }
        if (info.priv() == null) {
            throw new DmaBufException(Errno.EINVAL, "exporter '" + info.expName() + "' gave no priv object");
        }
        if (info.size() < 0) {
            throw new DmaBufException(
                    Errno.EINVAL, "exporter '" + info.expName() + "' gave a negative size " + info.size());
        }
        OptionalOps optional = OPTIONAL_OPS.get(info.ops().getClass());
        if (optional.pin != optional.unpin) {
            throw new DmaBufException(
                    Errno.EINVAL,
                    "exporter '" + info.expName() + "' implements "
                            + (optional.pin ? "pin without unpin" : "unpin without pin"));
        }
        if (info.ops().cacheSgtMapping() && optional.pin) {
            throw new DmaBufException(
                    Errno.EINVAL,
                    "exporter '" + info.expName() + "' asks for cache_sgt_mapping and implements pin/unpin");
        }
        return new DmaBuf(info, optional);
    }

    /**
     * {@code dma_buf_fd(dmabuf, flags)}: installs the caller's reference in a new file
     * descriptor and returns it. Importer rule 2: called without the lock held.
     */
    public int fd() {
        ensureLive("dma_buf_fd");
        int fd = NEXT_FD.getAndIncrement();
        FD_TABLE.put(fd, this);
        return fd;
    }

    /**
     * {@code dma_buf_get(fd)}: the buffer behind {@code fd}, with a new reference the caller
     * drops with {@link #put()}. Importer rule 2: called without the lock held.
     *
     * @throws DmaBufException EBADF when {@code fd} is not an open dma-buf descriptor
     */
    public static DmaBuf get(int fd) {
        DmaBuf dmabuf = FD_TABLE.get(fd);
        if (dmabuf == null || !dmabuf.tryGet()) {
            throw new DmaBufException(Errno.EBADF, "fd " + fd + " is not an open dma-buf file descriptor");
        }
        return dmabuf;
    }

    /** {@code close(fd)}: drops the reference the descriptor holds. */
    public static void closeFd(int fd) {
        DmaBuf dmabuf = FD_TABLE.remove(fd);
        if (dmabuf == null) {
            throw new DmaBufException(Errno.EBADF, "fd " + fd + " is not an open dma-buf file descriptor");
        }
        dmabuf.put();
    }

    /** {@code get_dma_buf(dmabuf)}: takes another reference on a live buffer. */
    public void getDmaBuf() {
        if (!tryGet()) {
            throw new DmaBufException(Errno.EINVAL, "get_dma_buf on released " + name());
        }
    }

    private boolean tryGet() {
        for (; ; ) {
            long n = refcount.get();
            if (n == 0) {
                return false;
            }
            if (refcount.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /**
     * {@code dma_buf_put(dmabuf)}: drops a reference; the last one runs the exporter's
     * {@code release} (exporter rule 1: with the lock not held), exactly once. Importer rule 2:
     * called without the lock held.
     *
     * @throws DmaBufException EINVAL on a put after the last reference (nothing changes); or after
     *         releasing, when attachments or a vmap were still alive (the kernel WARNs/BUGs)
     */
    public void put() {
        long n;
        do {
            n = refcount.get();
            if (n == 0) {
                throw new DmaBufException(Errno.EINVAL, "dma_buf_put after the last reference to " + name());
            }
        } while (!refcount.compareAndSet(n, n - 1));
        if (n == 1) {
            release();
        }
    }

    private void release() {
        ops.release(this);
        int leftAttachments = attachments.size();
        int leftVmaps = vmappingCounter;
        if (leftAttachments > 0 || leftVmaps > 0) {
            throw new DmaBufException(
                    Errno.EBUSY,
                    name() + " released with " + leftAttachments + " attachment(s) and " + leftVmaps
                            + " vmap(s) still alive: detach and vunmap before the last put");
        }
    }

    // ------------------------------------------------------------------ attachments

    /**
     * {@code dma_buf_attach(dmabuf, dev)}: a static importer attaches {@code dev}. If the exporter
     * is dynamic the buffer is pinned and mapped now, and that mapping is cached. Importer rule 2:
     * the caller must NOT hold the lock (this takes it, and the exporter's attach may).
     */
    public DmaBufAttachment attach(Device dev) {
        return doAttach(dev, null, null);
    }

    /**
     * {@code dma_buf_dynamic_attach(dmabuf, dev, importer_ops, importer_priv)}: attaches
     * {@code dev}; with {@code importerOps} the importer is dynamic and is told of moves. Calls the
     * exporter's attach with the lock not held, then adds the attachment under the lock. When
     * importer and exporter disagree on being dynamic, the buffer is mapped (and pinned, for a
     * dynamic exporter) under the lock now and the mapping cached. Importer rule 2: the caller
     * must NOT hold the lock.
     */
    public DmaBufAttachment dynamicAttach(Device dev, DmaBufAttachOps importerOps, Object importerPriv) {
        return doAttach(dev, importerOps, importerPriv);
    }

    private DmaBufAttachment doAttach(Device dev, DmaBufAttachOps importerOps, Object importerPriv) {
        ensureLive("dma_buf_dynamic_attach");
        if (dev == null) {
            throw new DmaBufException(Errno.EINVAL, "dma_buf_dynamic_attach to " + name() + " without a device");
        }
        DmaBufAttachment attach = new DmaBufAttachment(this, dev, importerOps, importerPriv);
        if (optional.attach) {
            ops.attach(this, attach);
        }
        resv.lock();
        attachments.add(attach);
        resv.unlock();

        if (attach.isDynamic() != isDynamic()) {
            resv.lock();
            boolean pinned = false;
            try {
                if (isDynamic()) {
                    ops.pin(attach);
                    pinned = true;
                }
                SgTable sgt = mapDmaBuf(attach, DmaDataDirection.BIDIRECTIONAL);
                attach.sgt = sgt;
                attach.dir = DmaDataDirection.BIDIRECTIONAL;
            } catch (RuntimeException | Error failure) {
                if (pinned) {
                    ops.unpin(attach);
                }
                resv.unlock();
                detach(attach);
                throw failure;
            }
            resv.unlock();
        }
        return attach;
    }

    /**
     * {@code dma_buf_detach(dmabuf, attach)}: unmaps and unpins a cached mapping and removes the
     * attachment under the lock, then calls the exporter's detach with the lock not held.
     * Importer rule 2: the caller must NOT hold the lock.
     *
     * @throws DmaBufException EINVAL for an attachment of another buffer or one already detached
     */
    public void detach(DmaBufAttachment attach) {
        if (attach == null) {
            throw new DmaBufException(Errno.EINVAL, "dma_buf_detach from " + name() + " without an attachment");
        }
        if (attach.dmabuf() != this) {
            throw new DmaBufException(
                    Errno.EINVAL,
                    "dma_buf_detach: " + attach + " belongs to "
                            + attach.dmabuf().name() + ", not to " + name());
        }
        if (!attach.markDetached()) {
            throw new DmaBufException(Errno.EINVAL, "dma_buf_detach: " + attach + " is already detached");
        }
        resv.lock();
        try {
            if (attach.sgt != null) {
                unmapDmaBuf(attach, attach.sgt, attach.dir);
                attach.sgt = null;
                if (isDynamic()) {
                    ops.unpin(attach);
                }
            }
            attachments.remove(attach);
        } finally {
            resv.unlock();
        }
        if (optional.detach) {
            ops.detach(this, attach);
        }
    }

    /**
     * {@code dma_buf_pin(attach)}: a dynamic importer pins the buffer where it is. Importer
     * rule 1: the caller must HOLD the lock; the exporter's pin runs under it.
     *
     * @throws DmaBufException EINVAL for a static attachment (the kernel WARNs: only dynamic
     *         importers may pin) or a detached one
     */
    public static void pin(DmaBufAttachment attach) {
        DmaBuf dmabuf = liveAttachment(attach, "dma_buf_pin");
        if (!attach.isDynamic()) {
            throw new DmaBufException(
                    Errno.EINVAL, "dma_buf_pin: only dynamic importers may pin, " + attach + " is static");
        }
        if (dmabuf.optional.pin) {
            dmabuf.ops.pin(attach);
        }
    }

    /** {@code dma_buf_unpin(attach)}: undoes {@link #pin}. Importer rule 1: the caller must HOLD the lock. */
    public static void unpin(DmaBufAttachment attach) {
        DmaBuf dmabuf = liveAttachment(attach, "dma_buf_unpin");
        if (!attach.isDynamic()) {
            throw new DmaBufException(
                    Errno.EINVAL, "dma_buf_unpin: only dynamic importers may unpin, " + attach + " is static");
        }
        if (dmabuf.optional.unpin) {
            dmabuf.ops.unpin(attach);
        }
    }

    // ------------------------------------------------------------------ device mappings

    /**
     * {@code dma_buf_map_attachment(attach, direction)}: the buffer's device addresses for
     * {@code attach}. A cached mapping is returned again (EBUSY if the directions conflict).
     * Importer rule 1: the caller must HOLD the lock; the exporter's map_dma_buf runs under it.
     */
    public static SgTable mapAttachment(DmaBufAttachment attach, DmaDataDirection direction) {
        DmaBuf dmabuf = liveAttachment(attach, "dma_buf_map_attachment");
        checkDirection(direction, "dma_buf_map_attachment");
        if (attach.sgt != null) {
            if (attach.dir != direction && attach.dir != DmaDataDirection.BIDIRECTIONAL) {
                throw new DmaBufException(
                        Errno.EBUSY,
                        "dma_buf_map_attachment: " + attach + " has a cached " + attach.dir + " mapping, " + direction
                                + " requested");
            }
            return attach.sgt;
        }
        SgTable sgt = dmabuf.mapDmaBuf(attach, direction);
        if (dmabuf.ops.cacheSgtMapping()) {
            attach.sgt = sgt;
            attach.dir = direction;
        }
        return sgt;
    }

    /**
     * {@code dma_buf_unmap_attachment(attach, sg_table, direction)}: gives back a table from
     * {@link #mapAttachment}; a cached table stays until detach. Importer rule 1: the caller must
     * HOLD the lock; the exporter's unmap_dma_buf runs under it.
     *
     * @throws DmaBufException EINVAL for a table never mapped through {@code attach} (or already
     *         unmapped), or a direction other than the one it was mapped with
     */
    public static void unmapAttachment(DmaBufAttachment attach, SgTable sgTable, DmaDataDirection direction) {
        DmaBuf dmabuf = liveAttachment(attach, "dma_buf_unmap_attachment");
        if (sgTable == null) {
            throw new DmaBufException(Errno.EINVAL, "dma_buf_unmap_attachment of a null table");
        }
        checkDirection(direction, "dma_buf_unmap_attachment");
        if (attach.sgt == sgTable) {
            return;
        }
        DmaDataDirection mappedAs = attach.mapped.get(sgTable);
        if (mappedAs == null) {
            throw new DmaBufException(
                    Errno.EINVAL,
                    "dma_buf_unmap_attachment: " + sgTable + " was never mapped through " + attach
                            + " (or is already unmapped)");
        }
        if (mappedAs != direction) {
            throw new DmaBufException(
                    Errno.EINVAL, "dma_buf_unmap_attachment: table mapped " + mappedAs + " unmapped " + direction);
        }
        dmabuf.unmapDmaBuf(attach, sgTable, direction);
    }

    /**
     * {@code dma_buf_map_attachment_unlocked(attach, direction)}: takes the lock, maps, releases
     * it. Importer rule 2: the caller must NOT hold the lock.
     */
    public static SgTable mapAttachmentUnlocked(DmaBufAttachment attach, DmaDataDirection direction) {
        DmaBuf dmabuf = liveAttachment(attach, "dma_buf_map_attachment_unlocked");
        dmabuf.resv.lock();
        try {
            return mapAttachment(attach, direction);
        } finally {
            dmabuf.resv.unlock();
        }
    }

    /**
     * {@code dma_buf_unmap_attachment_unlocked(attach, sg_table, direction)}: takes the lock,
     * unmaps, releases it. Importer rule 2: the caller must NOT hold the lock.
     */
    public static void unmapAttachmentUnlocked(DmaBufAttachment attach, SgTable sgTable, DmaDataDirection direction) {
        DmaBuf dmabuf = liveAttachment(attach, "dma_buf_unmap_attachment_unlocked");
        dmabuf.resv.lock();
        try {
            unmapAttachment(attach, sgTable, direction);
        } finally {
            dmabuf.resv.unlock();
        }
    }

    /**
     * {@code dma_buf_move_notify(dmabuf)}: a dynamic exporter tells every dynamic importer that
     * the buffer moves; static importers are pinned and are not told. Exporter rule 3: the caller
     * must HOLD the lock, and each importer's move_notify runs under it.
     */
    public void moveNotify() {
        ensureLive("dma_buf_move_notify");
        for (int i = 0; i < attachments.size(); i++) {
            DmaBufAttachment attach = attachments.get(i);
            if (attach.importerOps() != null) {
                attach.importerOps().moveNotify(attach);
            }
        }
    }

    /** {@code __map_dma_buf}: the exporter's map_dma_buf, with the table recorded as mapped. */
    private SgTable mapDmaBuf(DmaBufAttachment attach, DmaDataDirection direction) {
        SgTable sgt = ops.mapDmaBuf(attach, direction);
        if (sgt == null) {
            throw new DmaBufException(Errno.ENOMEM, "exporter '" + expName + "' map_dma_buf returned no table");
        }
        attach.mapped.put(sgt, direction);
        return sgt;
    }

    /** {@code __unmap_dma_buf}: the exporter's unmap_dma_buf, with the table forgotten. */
    private void unmapDmaBuf(DmaBufAttachment attach, SgTable sgt, DmaDataDirection direction) {
        ops.unmapDmaBuf(attach, sgt, direction);
        attach.mapped.remove(sgt);
    }

    // ------------------------------------------------------------------ CPU access

    /**
     * {@code dma_buf_mmap(dmabuf, vma, pgoff)}: maps {@code vma.pages()} pages from page
     * {@code pgoff} to user space through the exporter's mmap, with the lock NOT held (exporter
     * rule 1). Importer rule 2: the caller must NOT hold the lock.
     *
     * @throws DmaBufException EINVAL without an mmap op or past the buffer's end; EOVERFLOW when
     *         the range overflows
     */
    public void mmap(VmAreaStruct vma, long pgoff) {
        ensureLive("dma_buf_mmap");
        if (vma == null) {
            throw new DmaBufException(Errno.EINVAL, "dma_buf_mmap of " + name() + " without a vma");
        }
        if (!optional.mmap) {
            throw new DmaBufException(Errno.EINVAL, "exporter '" + expName + "' does not support mmap");
        }
        if (pgoff < 0 || pgoff + vma.pages() < pgoff) {
            throw new DmaBufException(Errno.EOVERFLOW, "dma_buf_mmap: page offset " + pgoff + " overflows");
        }
        if (pgoff + vma.pages() > size >> PAGE_SHIFT) {
            throw new DmaBufException(
                    Errno.EINVAL,
                    "dma_buf_mmap: pages " + pgoff + ".." + (pgoff + vma.pages()) + " beyond the "
                            + (size >> PAGE_SHIFT) + " pages of " + name());
        }
        vma.setFile(this, pgoff);
        ops.mmap(this, vma);
    }

    /**
     * {@code dma_buf_begin_cpu_access(dmabuf, direction)}: before CPU access; the exporter's
     * begin_cpu_access runs with the lock NOT held (exporter rule 1) and may take it. Importer
     * rule 2: the caller must NOT hold the lock.
     */
    public void beginCpuAccess(DmaDataDirection direction) {
        ensureLive("dma_buf_begin_cpu_access");
        checkDirection(direction, "dma_buf_begin_cpu_access");
        if (optional.beginCpuAccess) {
            ops.beginCpuAccess(this, direction);
        }
    }

    /**
     * {@code dma_buf_end_cpu_access(dmabuf, direction)}: after CPU access; the exporter's
     * end_cpu_access runs with the lock NOT held (exporter rule 1). Importer rule 2: the caller
     * must NOT hold the lock.
     */
    public void endCpuAccess(DmaDataDirection direction) {
        ensureLive("dma_buf_end_cpu_access");
        checkDirection(direction, "dma_buf_end_cpu_access");
        if (optional.endCpuAccess) {
            ops.endCpuAccess(this, direction);
        }
    }

    /**
     * {@code dma_buf_vmap(dmabuf, map)}: a kernel virtual mapping of the whole buffer, counted:
     * only the first call reaches the exporter's vmap (under the lock, exporter rule 2). Importer
     * rule 1: the caller must HOLD the lock.
     *
     * @throws DmaBufException EINVAL without a vmap op; ENOMEM when the exporter returns none
     */
    public IosysMap vmap() {
        ensureLive("dma_buf_vmap");
        if (!optional.vmap) {
            throw new DmaBufException(Errno.EINVAL, "exporter '" + expName + "' does not support vmap");
        }
        if (vmappingCounter > 0) {
            vmappingCounter++;
            return vmapPtr;
        }
        IosysMap map = ops.vmap(this);
        if (map == null) {
            throw new DmaBufException(Errno.ENOMEM, "exporter '" + expName + "' vmap returned no mapping");
        }
        vmapPtr = map;
        vmappingCounter = 1;
        return map;
    }

    /**
     * {@code dma_buf_vunmap(dmabuf, map)}: drops one vmap; the last reaches the exporter's vunmap
     * (under the lock, exporter rule 2). Importer rule 1: the caller must HOLD the lock.
     *
     * @throws DmaBufException EINVAL when there is no vmap or {@code map} is not the buffer's
     */
    public void vunmap(IosysMap map) {
        ensureLive("dma_buf_vunmap");
        if (vmappingCounter == 0) {
            throw new DmaBufException(Errno.EINVAL, "dma_buf_vunmap of " + name() + ", which is not vmapped");
        }
        if (!vmapPtr.equals(map)) {
            throw new DmaBufException(
                    Errno.EINVAL, "dma_buf_vunmap of " + name() + " with " + map + ", but it is vmapped at " + vmapPtr);
        }
        if (--vmappingCounter == 0) {
            if (optional.vunmap) {
                ops.vunmap(this, map);
            }
            vmapPtr = null;
        }
    }

    /** {@code dma_buf_vmap_unlocked(dmabuf, map)}: {@link #vmap} under the lock it takes. Importer rule 2. */
    public IosysMap vmapUnlocked() {
        ensureLive("dma_buf_vmap_unlocked");
        resv.lock();
        try {
            return vmap();
        } finally {
            resv.unlock();
        }
    }

    /** {@code dma_buf_vunmap_unlocked(dmabuf, map)}: {@link #vunmap} under the lock it takes. Importer rule 2. */
    public void vunmapUnlocked(IosysMap map) {
        ensureLive("dma_buf_vunmap_unlocked");
        resv.lock();
        try {
            vunmap(map);
        } finally {
            resv.unlock();
        }
    }

    // ------------------------------------------------------------------ accessors

    /** {@code dmabuf->resv}: the reservation object whose lock the convention is about. */
    public ReservationLock resv() {
        return resv;
    }

    /** {@code dmabuf->size} in bytes. */
    public long size() {
        return size;
    }

    /** {@code dmabuf->exp_name}. */
    public String expName() {
        return expName;
    }

    /** {@code dmabuf->priv}: the exporter's object. */
    public Object priv() {
        return priv;
    }

    /** {@code dmabuf->ops}. */
    public DmaBufOps ops() {
        return ops;
    }

    /** {@code dma_buf_is_dynamic(dmabuf)}: the exporter implements pin/unpin. */
    public boolean isDynamic() {
        return optional.pin;
    }

    /** The current reference count (file count). */
    public long refcount() {
        return refcount.get();
    }

    /** Whether the last reference is gone and release has run. */
    public boolean isReleased() {
        return refcount.get() == 0;
    }

    /** Whether the buffer was exported with a reservation object of its own (not a shared one). */
    public boolean hasOwnResv() {
        return ownResv;
    }

    /** A snapshot of the attachments ({@code dmabuf->attachments}); read it under the lock. */
    public List<DmaBufAttachment> attachments() {
        return List.copyOf(attachments);
    }

    /** {@code dmabuf->vmapping_counter}. */
    public int vmappingCounter() {
        return vmappingCounter;
    }

    /** A readable identity: {@code dmabuf:<inode>:<exp_name>} as in /proc fdinfo. */
    public String name() {
        return "dmabuf:" + inode + ":" + expName;
    }

    @Override
    public String toString() {
        return "DmaBuf[" + name() + " size=" + size + " refs=" + refcount.get() + (isDynamic() ? " dynamic" : "") + "]";
    }

    // ------------------------------------------------------------------ checks

    private void ensureLive(String function) {
        if (refcount.get() == 0) {
            throw new DmaBufException(Errno.EINVAL, function + " on released " + name());
        }
    }

    private static DmaBuf liveAttachment(DmaBufAttachment attach, String function) {
        if (attach == null) {
            throw new DmaBufException(Errno.EINVAL, function + " without an attachment");
        }
        if (attach.isDetached()) {
            throw new DmaBufException(Errno.EINVAL, function + " on detached " + attach);
        }
        DmaBuf dmabuf = attach.dmabuf();
        dmabuf.ensureLive(function);
        return dmabuf;
    }

    private static void checkDirection(DmaDataDirection direction, String function) {
        if (direction == null || !direction.isValid()) {
            throw new DmaBufException(Errno.EINVAL, function + " with invalid direction " + direction);
        }
    }

    /**
     * Which optional {@link DmaBufOps} callbacks an implementation class provides: the Java
     * counterpart of testing a {@code dma_buf_ops} field for NULL. Computed once per class.
     */
    private static final class OptionalOps {
        final boolean attach;
        final boolean detach;
        final boolean pin;
        final boolean unpin;
        final boolean beginCpuAccess;
        final boolean endCpuAccess;
        final boolean mmap;
        final boolean vmap;
        final boolean vunmap;

        private OptionalOps(Class<?> type) {
            attach = overrides(type, "attach", DmaBuf.class, DmaBufAttachment.class);
            detach = overrides(type, "detach", DmaBuf.class, DmaBufAttachment.class);
            pin = overrides(type, "pin", DmaBufAttachment.class);
            unpin = overrides(type, "unpin", DmaBufAttachment.class);
            beginCpuAccess = overrides(type, "beginCpuAccess", DmaBuf.class, DmaDataDirection.class);
            endCpuAccess = overrides(type, "endCpuAccess", DmaBuf.class, DmaDataDirection.class);
            mmap = overrides(type, "mmap", DmaBuf.class, VmAreaStruct.class);
            vmap = overrides(type, "vmap", DmaBuf.class);
            vunmap = overrides(type, "vunmap", DmaBuf.class, IosysMap.class);
        }

        static OptionalOps of(Class<?> type) {
            return new OptionalOps(type);
        }

        private static boolean overrides(Class<?> type, String name, Class<?>... parameters) {
            try {
                Method method = type.getMethod(name, parameters);
                return method.getDeclaringClass() != DmaBufOps.class;
            } catch (NoSuchMethodException e) {
                throw new IllegalStateException("DmaBufOps." + name + " missing from " + type.getName(), e);
            }
        }
    }
}
