package io.jlockdep.demo.i915;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import io.jlockdep.dmabuf.DmaBuf;
import io.jlockdep.dmabuf.DmaBufAttachment;
import io.jlockdep.dmabuf.DmaBufExportInfo;
import io.jlockdep.dmabuf.DmaBufOps;
import io.jlockdep.dmabuf.DmaDataDirection;
import io.jlockdep.dmabuf.IosysMap;
import io.jlockdep.dmabuf.SgTable;
import io.jlockdep.dmabuf.VmAreaStruct;
import io.jlockdep.resv.ReservationLock;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * An i915-like dynamic exporter (drivers/gpu/drm/i915/gem/i915_gem_dmabuf.c). Each GEM object
 * has the reservation it exports ({@code obj->base.resv}) and its own mutex guarding its
 * backing pages ({@code obj->mm.lock} in the i915 of the time the convention was settled). The
 * correct lock order is reservation, then the object's mutex.
 *
 * <ul>
 *   <li>{@code attach} (invoked unlocked) takes the reservation and gets the pages, as
 *       i915_gem_dmabuf_attach did, and so maps under the held reservation during attach;</li>
 *   <li>{@code pin}/{@code unpin} (invoked locked) pin the object where it is;</li>
 *   <li>{@code map_dma_buf} (invoked locked) builds the table under the object mutex;</li>
 *   <li>{@link #migrate} moves an unpinned object between system and device memory under the
 *       reservation and tells dynamic importers with {@code dma_buf_move_notify}.</li>
 * </ul>
 *
 * Three historical mistakes can be switched on, one per flag, for the buggy scenarios.
 */
public final class I915Exporter implements DmaBufOps {

    /** Where an object's pages are. */
    public enum Placement {
        SMEM,
        LMEM
    }

    /** A GEM buffer object. */
    public static final class GemObject {
        final String name;
        final long size;
        final ReservationLock resv;
        /** {@code obj->mm.lock}: guards the pages and their placement. */
        final ReentrantLock mmLock = new ReentrantLock();

        Placement placement = Placement.SMEM;

        @GuardedBy("mmLock")
        long pagesAddress;

        @GuardedBy("mmLock")
        int pagesPinned;

        int pinCount;
        DmaBuf dmabuf;

        GemObject(String name, long size) {
            this.name = name;
            this.size = size;
            this.resv = new ReservationLock(name + ".resv");
        }

        public ReservationLock resv() {
            return resv;
        }

        public Placement placement() {
            return placement;
        }

        public DmaBuf dmabuf() {
            return dmabuf;
        }

        public int pinCount() {
            return pinCount;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    private final AtomicLong nextAddress = new AtomicLong(0x8000_0000L);
    private final AtomicLong migrations = new AtomicLong();

    /** Bug: dma_buf_move_notify() called after dropping the reservation. */
    public volatile boolean moveNotifyUnlocked;
    /** Bug: map_dma_buf takes the reservation it is invoked under. */
    public volatile boolean lockInMapDmaBuf;
    /** Bug: a shrinker that takes the object mutex, then the reservation (the inverse order). */
    public volatile boolean shrinkerTakesMmLockFirst;
    /** Bug: debugfs's describe reads an object's pages without its mutex (their {@code @GuardedBy}). */
    public volatile boolean describeWithoutMmLock;

    /** i915_gem_object_create + i915_gem_prime_export: a new object, exported. */
    public GemObject createAndExport(String name, long size) {
        GemObject obj = new GemObject(name, size);
        obj.dmabuf = DmaBuf.export(new DmaBufExportInfo("i915", this, size, obj, obj.resv));
        return obj;
    }

    private static GemObject obj(DmaBuf dmabuf) {
        return (GemObject) dmabuf.priv();
    }

    /** i915_gem_object_pin_pages: the object mutex guards the pages (caller holds the reservation). */
    private void getPages(GemObject obj) {
        obj.mmLock.lock();
        try {
            if (obj.pagesPinned++ == 0) {
                obj.pagesAddress = nextAddress.getAndAdd(obj.size);
            }
        } finally {
            obj.mmLock.unlock();
        }
    }

    private void putPages(GemObject obj) {
        obj.mmLock.lock();
        try {
            obj.pagesPinned--;
        } finally {
            obj.mmLock.unlock();
        }
    }

    @Override
    public void attach(DmaBuf dmabuf, DmaBufAttachment attach) {
        GemObject obj = obj(dmabuf);
        obj.resv.lock(); // exporter rule 1: attach is invoked unlocked and may take the lock
        try {
            getPages(obj);
        } finally {
            obj.resv.unlock();
        }
    }

    @Override
    public void detach(DmaBuf dmabuf, DmaBufAttachment attach) {
        GemObject obj = obj(dmabuf);
        obj.resv.lock();
        try {
            putPages(obj);
        } finally {
            obj.resv.unlock();
        }
    }

    @Override
    public void pin(DmaBufAttachment attach) {
        GemObject obj = obj(attach.dmabuf());
        if (!attach.peer2peer() && moveLocked(obj, Placement.SMEM)) { // a peer without p2p reaches system memory only
            obj.dmabuf.moveNotify(); // invoked locked: the other importers learn of the move at once
        }
        obj.pinCount++;
    }

    @Override
    public void unpin(DmaBufAttachment attach) {
        obj(attach.dmabuf()).pinCount--;
    }

    @Override
    public SgTable mapDmaBuf(DmaBufAttachment attach, DmaDataDirection direction) {
        GemObject obj = obj(attach.dmabuf());
        if (lockInMapDmaBuf) {
            obj.resv.lock(); // exporter rule 2 broken: invoked with it held, a self-deadlock
            obj.resv.unlock();
        }
        obj.mmLock.lock();
        try {
            return SgTable.of(obj.pagesAddress + (obj.placement == Placement.LMEM ? 0x1_0000_0000L : 0), obj.size);
        } finally {
            obj.mmLock.unlock();
        }
    }

    @Override
    public void unmapDmaBuf(DmaBufAttachment attach, SgTable table, DmaDataDirection direction) {
        GemObject obj = obj(attach.dmabuf());
        obj.mmLock.lock();
        obj.mmLock.unlock();
    }

    @Override
    public void release(DmaBuf dmabuf) {}

    @Override
    public void beginCpuAccess(DmaBuf dmabuf, DmaDataDirection direction) {
        GemObject obj = obj(dmabuf);
        obj.resv.lock(); // i915_gem_begin_cpu_access: invoked unlocked, takes the object lock
        try {
            if (moveLocked(obj, Placement.SMEM)) {
                obj.dmabuf.moveNotify();
            }
        } finally {
            obj.resv.unlock();
        }
    }

    @Override
    public void endCpuAccess(DmaBuf dmabuf, DmaDataDirection direction) {
        GemObject obj = obj(dmabuf);
        obj.resv.lock();
        obj.resv.unlock();
    }

    @Override
    public void mmap(DmaBuf dmabuf, VmAreaStruct vma) {
        GemObject obj = obj(dmabuf);
        obj.resv.lock(); // since 2023 mmap is invoked unlocked and may take it
        try {
            getPages(obj);
            putPages(obj);
        } finally {
            obj.resv.unlock();
        }
    }

    @Override
    public IosysMap vmap(DmaBuf dmabuf) {
        GemObject obj = obj(dmabuf);
        obj.mmLock.lock();
        try {
            return new IosysMap(0xffff_c900_0000_0000L + obj.pagesAddress, obj.placement == Placement.LMEM);
        } finally {
            obj.mmLock.unlock();
        }
    }

    @Override
    public void vunmap(DmaBuf dmabuf, IosysMap map) {}

    /**
     * Moves {@code obj} (reservation held); unpinned objects only. Returns whether it moved: the
     * caller then owes the importers a {@code dma_buf_move_notify}.
     */
    private boolean moveLocked(GemObject obj, Placement to) {
        if (obj.placement == to || obj.pinCount > 0) {
            return false;
        }
        obj.mmLock.lock();
        try {
            obj.placement = to;
            obj.pagesAddress = nextAddress.getAndAdd(obj.size);
        } finally {
            obj.mmLock.unlock();
        }
        migrations.incrementAndGet();
        return true;
    }

    /**
     * i915_gem_object_migrate: under the reservation, move an unpinned object and invalidate
     * every dynamic importer's mapping with {@code dma_buf_move_notify} (exporter rule 3).
     */
    public boolean migrate(GemObject obj, Placement to) {
        boolean moved;
        obj.resv.lock();
        try {
            moved = moveLocked(obj, to);
            if (moved && !moveNotifyUnlocked) {
                obj.dmabuf.moveNotify();
            }
        } finally {
            obj.resv.unlock();
        }
        if (moved && moveNotifyUnlocked) {
            obj.dmabuf.moveNotify(); // exporter rule 3 broken
        }
        return moved;
    }

    /**
     * The shrinker: evicts an idle object's pages to system memory. Correct: reservation (a
     * trylock, as shrinkers do), then the object mutex. With {@link #shrinkerTakesMmLockFirst} it
     * takes the object mutex first and then waits for the reservation: the inverse of attach.
     */
    public boolean shrink(GemObject obj) {
        if (shrinkerTakesMmLockFirst) {
            obj.mmLock.lock();
            try {
                obj.resv.lock();
                try {
                    return obj.pinCount == 0;
                } finally {
                    obj.resv.unlock();
                }
            } finally {
                obj.mmLock.unlock();
            }
        }
        if (!obj.resv.tryLock()) {
            return false;
        }
        try {
            boolean moved = moveLocked(obj, Placement.SMEM);
            if (moved) {
                obj.dmabuf.moveNotify();
            }
            return moved;
        } finally {
            obj.resv.unlock();
        }
    }

    /**
     * i915_gem_object_describe (debugfs): one line about {@code obj}, its pages read under the
     * object mutex that guards them. With {@link #describeWithoutMmLock}, read without it: a data
     * race on {@code pagesPinned} and {@code pagesAddress}, which only their {@code @GuardedBy}
     * says are the mutex's to guard.
     */
    @SuppressWarnings("GuardedBy") // the bug of describeWithoutMmLock, on purpose
    public String describe(GemObject obj) {
        if (describeWithoutMmLock) {
            return obj.name + ": " + obj.pagesPinned + " page pins at 0x" + Long.toHexString(obj.pagesAddress);
        }
        obj.mmLock.lock();
        try {
            return obj.name + ": " + obj.pagesPinned + " page pins at 0x" + Long.toHexString(obj.pagesAddress);
        } finally {
            obj.mmLock.unlock();
        }
    }

    public long migrations() {
        return migrations.get();
    }
}
