package io.jlockdep.demo.scenario;

import io.jlockdep.demo.amdgpu.AmdgpuImporter;
import io.jlockdep.demo.i915.I915Exporter;
import io.jlockdep.demo.i915.I915Exporter.GemObject;
import io.jlockdep.demo.i915.I915Exporter.Placement;
import io.jlockdep.demo.udmabuf.UdmabufExporter;
import io.jlockdep.demo.v4l2.V4l2Importer;
import io.jlockdep.dmabuf.Device;
import io.jlockdep.dmabuf.DmaBuf;
import io.jlockdep.dmabuf.DmaBufAttachment;
import io.jlockdep.dmabuf.DmaDataDirection;
import io.jlockdep.dmabuf.IosysMap;
import io.jlockdep.dmabuf.SgTable;
import io.jlockdep.dmabuf.VmAreaStruct;
import io.jlockdep.resv.ReservationLock;
import io.jlockdep.resv.WwAcquireContext;
import io.jlockdep.resv.WwClass;
import io.jlockdep.resv.WwDeadlockException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;

/**
 * The scenarios: correct flows of the four drivers (alone, together, under load) that must
 * produce no report, and one buggy flow per rule family, each with the rule IDs it must produce.
 * Threads are sequenced (joins, latches) so that the buggy orderings never actually deadlock:
 * jlockdep must predict them from one run.
 */
public final class Catalogue {

    private static final long SIZE = 16 * DmaBuf.PAGE_SIZE;
    private static final Map<String, Scenario> ALL = new LinkedHashMap<>();

    static {
        // ---------------------------------------------------------------- correct flows
        add(
                "share-buffers",
                "i915 and udmabuf buffers shared with amdgpu (dynamic) and v4l2 (static) importers on 4 threads",
                Set.of(),
                false,
                Catalogue::shareBuffers);
        add(
                "ww-commit",
                "amdgpu submissions locking overlapping buffer sets in opposite orders: contention and back-off",
                Set.of(),
                false,
                Catalogue::wwCommit);
        add(
                "cpu-access",
                "begin/end_cpu_access, vmap under the lock and vmap_unlocked on i915 and udmabuf buffers",
                Set.of(),
                false,
                Catalogue::cpuAccess);
        add(
                "mmap",
                "dma_buf_mmap of i915 and udmabuf buffers (exporter may take the lock in mmap)",
                Set.of(),
                false,
                Catalogue::mmap);
        add(
                "move-notify",
                "i915 migrates buffers under the lock; amdgpu's move_notify drops its mapping and it re-maps",
                Set.of(),
                false,
                Catalogue::moveNotify);
        add(
                "i915-under-load",
                "i915 exporter: 4 threads x 500 attach/map/migrate/shrink/detach rounds",
                Set.of(),
                false,
                () -> Load.i915(4, 500));
        add(
                "amdgpu-under-load",
                "amdgpu importer: 4 threads x 500 submissions over 8 shared buffers, with migrations",
                Set.of(),
                false,
                () -> Load.amdgpu(4, 500));
        add(
                "v4l2-under-load",
                "v4l2 importer: 4 threads x 500 queue/dequeue of i915 and udmabuf buffers",
                Set.of(),
                false,
                () -> Load.v4l2(4, 500));
        add(
                "udmabuf-under-load",
                "udmabuf exporter: 4 threads x 500 CPU access, mmap, vmap and mapping rounds",
                Set.of(),
                false,
                () -> Load.udmabuf(4, 500));

        // ---------------------------------------------------------------- buggy flows
        add(
                "importer-maps-unlocked",
                "amdgpu maps an attachment without holding the reservation",
                Set.of("dma-buf/importer-locked"),
                false,
                Catalogue::importerMapsUnlocked);
        add(
                "importer-attaches-locked",
                "v4l2 attaches while its caller holds the reservation; i915's attach takes it (self-deadlock)",
                Set.of("dma-buf/importer-unlocked"),
                true,
                Catalogue::importerAttachesLocked);
        add(
                "exporter-locks-in-map",
                "i915's map_dma_buf takes the reservation it is invoked under (self-deadlock)",
                Set.of("dma-buf/exporter-locked-callback"),
                true,
                Catalogue::exporterLocksInMap);
        add(
                "abba-mm-lock",
                "i915 attach takes resv -> obj mutex, its shrinker obj mutex -> resv, on two threads that never meet",
                Set.of("lockdep/circular-dependency"),
                false,
                Catalogue::abbaMmLock);
        add(
                "describe-pages-unlocked",
                "i915's debugfs describe reads an object's pages without the mutex their @GuardedBy names",
                Set.of("guard/unguarded-read"),
                false,
                Catalogue::describePagesUnlocked);
        add(
                "move-notify-unlocked",
                "i915 calls dma_buf_move_notify after dropping the reservation",
                Set.of("dma-buf/exporter-locked"),
                false,
                Catalogue::moveNotifyUnlocked);
        add(
                "ww-no-backoff",
                "after -EDEADLK a transaction locks one more buffer instead of backing off",
                Set.of("ww/lock-after-edeadlk"),
                false,
                Catalogue::wwNoBackoff);
        add(
                "ww-lock-after-done",
                "a transaction locks another buffer after ww_acquire_done",
                Set.of("ww/lock-after-done"),
                false,
                Catalogue::wwLockAfterDone);
        add(
                "unlock-not-held",
                "a driver unlocks a reservation it never locked",
                Set.of("ww/unlock-not-held"),
                false,
                Catalogue::unlockNotHeld);
        add(
                "held-at-thread-exit",
                "a worker thread ends with a reservation still locked",
                Set.of("lockdep/held-lock-at-exit"),
                false,
                Catalogue::heldAtThreadExit);

        // ---------------------------------------------------------------- one per API rule
        // (the agent's integration tests run these by name, next to the flows above)
        add(
                "whole-api",
                "every dma-buf function on a udmabuf buffer, each with the lock as the convention says",
                Set.of(),
                false,
                Catalogue::wholeApi);
        add(
                "importer-fd-locked",
                "an importer asks for the buffer's fd while holding its reservation",
                Set.of("dma-buf/importer-unlocked"),
                false,
                Catalogue::importerFdLocked);
        add(
                "callback-called-locked",
                "end_cpu_access, a callback the core invokes unlocked, called with the reservation held",
                Set.of("dma-buf/exporter-unlocked-callback"),
                false,
                Catalogue::callbackCalledLocked);
        add(
                "callback-called-unlocked",
                "map_dma_buf, a callback the core invokes locked, called without the reservation",
                Set.of("dma-buf/exporter-locked-callback"),
                false,
                Catalogue::callbackCalledUnlocked);
    }

    /**
     * Runs one scenario on this thread, as a JVM of its own under the agent: {@code java ...
     * io.jlockdep.demo.scenario.Catalogue NAME}. Prints {@code done NAME} and exits 0 when it
     * completed, 3 when fail mode stopped it with LockdepViolationError (the error is printed), 2
     * for an unknown name, 1 for anything else.
     */
    public static void main(String[] args) {
        Scenario s = args.length == 1 ? get(args[0]) : null;
        if (s == null) {
            System.err.println("usage: Catalogue NAME; known: " + ALL.keySet());
            System.exit(2);
        }
        runOne(s, true);
        System.out.println("done " + s.name());
    }

    /**
     * Runs {@code s} on this thread; on failure the JVM exits (3: stopped by fail mode, 1: anything
     * else). A fail-mode error's stack trace is printed when {@code trace}.
     */
    public static void runOne(Scenario s, boolean trace) {
        try {
            s.body().run();
        } catch (AssertionError e) {
            if (e.getClass().getName().equals("io.jlockdep.api.LockdepViolationError")) {
                if (trace) {
                    e.printStackTrace();
                }
                System.out.println("  " + s.name() + " stopped at the violating call: " + e.getMessage());
                System.out.flush();
                Runtime.getRuntime().halt(3);
            }
            e.printStackTrace();
            System.exit(1);
        } catch (Exception e) {
            e.printStackTrace();
            System.exit(1);
        }
    }

    private Catalogue() {}

    private static void add(
            String name, String description, Set<String> expected, boolean failMode, Scenario.Body body) {
        ALL.put(name, new Scenario(name, description, expected, failMode, body));
    }

    /** Every scenario, in catalogue order. */
    public static List<Scenario> all() {
        return List.copyOf(ALL.values());
    }

    /** The scenario called {@code name}, or null. */
    public static Scenario get(String name) {
        return ALL.get(name);
    }

    // ===================================================================== correct

    private static void wholeApi() {
        DmaBuf buf = new UdmabufExporter().create("whole-api", 4);
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

    private static void importerFdLocked() {
        DmaBuf buf = new UdmabufExporter().create("fd", 4);
        buf.resv().lock();
        int fd;
        try {
            fd = buf.fd(); // dma_buf_fd takes no lock, but the convention forbids holding it here
        } finally {
            buf.resv().unlock();
        }
        DmaBuf.closeFd(fd);
    }

    private static void callbackCalledLocked() {
        DmaBuf buf = new UdmabufExporter().create("end-cpu", 4);
        buf.resv().lock();
        try {
            buf.ops().endCpuAccess(buf, DmaDataDirection.FROM_DEVICE); // the core calls it unlocked
        } finally {
            buf.resv().unlock();
        }
        buf.put();
    }

    private static void callbackCalledUnlocked() {
        DmaBuf buf = new UdmabufExporter().create("map", 4);
        DmaBufAttachment attach = buf.attach(Device.of("gpu0"));
        SgTable sgt = buf.ops().mapDmaBuf(attach, DmaDataDirection.TO_DEVICE); // the core calls it locked
        buf.resv().lock();
        try {
            buf.ops().unmapDmaBuf(attach, sgt, DmaDataDirection.TO_DEVICE);
        } finally {
            buf.resv().unlock();
        }
        buf.detach(attach);
        buf.put();
    }

    private static void shareBuffers() throws Exception {
        I915Exporter i915 = new I915Exporter();
        UdmabufExporter udmabuf = new UdmabufExporter();
        List<DmaBuf> buffers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            buffers.add(i915.createAndExport("gem" + i, SIZE).dmabuf());
            buffers.add(udmabuf.create("memfd" + i, 4));
        }
        Threads.parallel(Threads.names("client", 4), t -> {
            if (t % 2 == 0) {
                AmdgpuImporter amdgpu = new AmdgpuImporter("amdgpu" + t);
                List<AmdgpuImporter.Import> imports = new ArrayList<>();
                for (DmaBuf b : buffers) {
                    imports.add(amdgpu.importBuffer(b));
                }
                for (int round = 0; round < 20; round++) {
                    amdgpu.submit(imports);
                }
                imports.forEach(amdgpu::release);
            } else {
                V4l2Importer v4l2 = new V4l2Importer("v4l2-" + t);
                for (int round = 0; round < 20; round++) {
                    V4l2Importer.Frame f = v4l2.queue(buffers.get(round % buffers.size()));
                    v4l2.dequeue(f);
                }
            }
        });
    }

    /**
     * Two submitters lock overlapping sets in opposite orders until both have backed off at least
     * once (bounded): the correct ww protocol under real contention produces no report.
     */
    private static void wwCommit() throws Exception {
        I915Exporter i915 = new I915Exporter();
        List<DmaBuf> buffers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            buffers.add(i915.createAndExport("bo" + i, SIZE).dmabuf());
        }
        java.util.concurrent.atomic.AtomicLong backoffs = new java.util.concurrent.atomic.AtomicLong();
        int[] rounds = new int[2];
        Threads.parallel(Threads.names("submit", 2), t -> {
            AmdgpuImporter amdgpu = new AmdgpuImporter("amdgpu" + t);
            List<AmdgpuImporter.Import> imports = new ArrayList<>();
            for (DmaBuf b : buffers) {
                imports.add(amdgpu.importBuffer(b));
            }
            List<AmdgpuImporter.Import> order = new ArrayList<>(imports);
            if (t == 1) {
                java.util.Collections.reverse(order);
            }
            long before = 0;
            for (int round = 0; round < 20_000 && (round < 300 || backoffs.get() < 2); round++) {
                amdgpu.submit(order);
                backoffs.addAndGet(amdgpu.backoffs() - before);
                before = amdgpu.backoffs();
                rounds[t] = round + 1;
            }
            imports.forEach(amdgpu::release);
        });
        System.out.println(
                "  ww-commit: " + (rounds[0] + rounds[1]) + " submissions, " + backoffs.get() + " back-offs");
        if (backoffs.get() == 0) {
            throw new IllegalStateException("no contention in 40000 submissions: the scenario proved nothing");
        }
    }

    private static void cpuAccess() {
        I915Exporter i915 = new I915Exporter();
        UdmabufExporter udmabuf = new UdmabufExporter();
        for (DmaBuf b : List.of(i915.createAndExport("gem-cpu", SIZE).dmabuf(), udmabuf.create("memfd-cpu", 4))) {
            b.beginCpuAccess(DmaDataDirection.FROM_DEVICE);
            b.endCpuAccess(DmaDataDirection.FROM_DEVICE);
            b.resv().lock();
            try {
                IosysMap map = b.vmap();
                b.vunmap(map);
            } finally {
                b.resv().unlock();
            }
            IosysMap map = b.vmapUnlocked();
            b.vunmapUnlocked(map);
            b.put();
        }
    }

    private static void mmap() {
        I915Exporter i915 = new I915Exporter();
        UdmabufExporter udmabuf = new UdmabufExporter();
        for (DmaBuf b : List.of(i915.createAndExport("gem-mmap", SIZE).dmabuf(), udmabuf.create("memfd-mmap", 4))) {
            b.mmap(new VmAreaStruct(2), 1);
            b.put();
        }
    }

    private static void moveNotify() {
        I915Exporter i915 = new I915Exporter();
        GemObject obj = i915.createAndExport("gem-moving", SIZE);
        AmdgpuImporter amdgpu = new AmdgpuImporter("amdgpu");
        AmdgpuImporter.Import imp = amdgpu.importBuffer(obj.dmabuf());
        for (int i = 0; i < 10; i++) {
            amdgpu.submit(List.of(imp));
            i915.migrate(obj, i % 2 == 0 ? Placement.LMEM : Placement.SMEM);
        }
        amdgpu.submit(List.of(imp));
        if (imp.invalidations() != 10 || imp.maps() != 11) {
            throw new IllegalStateException(
                    "expected 10 invalidations and 11 maps, got " + imp.invalidations() + " and " + imp.maps());
        }
        amdgpu.release(imp);
    }

    // ===================================================================== buggy

    private static void importerMapsUnlocked() {
        I915Exporter i915 = new I915Exporter();
        GemObject obj = i915.createAndExport("gem-peek", SIZE);
        AmdgpuImporter amdgpu = new AmdgpuImporter("amdgpu");
        AmdgpuImporter.Import imp = amdgpu.importBuffer(obj.dmabuf());
        amdgpu.peekWithoutLock(imp);
        amdgpu.release(imp);
    }

    private static void importerAttachesLocked() {
        I915Exporter i915 = new I915Exporter();
        GemObject obj = i915.createAndExport("gem-frame", SIZE);
        V4l2Importer v4l2 = new V4l2Importer("v4l2");
        obj.resv().lock();
        try {
            v4l2.queue(obj.dmabuf()); // dma_buf_attach with the lock held; i915's attach takes it again
        } finally {
            obj.resv().unlock();
        }
    }

    private static void exporterLocksInMap() {
        I915Exporter i915 = new I915Exporter();
        i915.lockInMapDmaBuf = true;
        GemObject obj = i915.createAndExport("gem-map", SIZE);
        AmdgpuImporter amdgpu = new AmdgpuImporter("amdgpu");
        AmdgpuImporter.Import imp = amdgpu.importBuffer(obj.dmabuf());
        amdgpu.submit(List.of(imp)); // maps under the lock; map_dma_buf takes it again
    }

    private static void abbaMmLock() throws Exception {
        I915Exporter i915 = new I915Exporter();
        GemObject obj = i915.createAndExport("gem-shrink", SIZE);
        V4l2Importer v4l2 = new V4l2Importer("v4l2");
        Threads.inThread("importer", () -> v4l2.dequeue(v4l2.queue(obj.dmabuf()))); // resv -> mm.lock
        i915.shrinkerTakesMmLockFirst = true;
        Threads.inThread("kswapd", () -> i915.shrink(obj)); // mm.lock -> resv
    }

    private static void describePagesUnlocked() {
        I915Exporter i915 = new I915Exporter();
        GemObject obj = i915.createAndExport("gem-describe", SIZE);
        V4l2Importer v4l2 = new V4l2Importer("v4l2");
        v4l2.dequeue(v4l2.queue(obj.dmabuf())); // pins and unpins the pages under the mutex
        System.out.println("  " + i915.describe(obj));
        i915.describeWithoutMmLock = true;
        System.out.println("  " + i915.describe(obj));
    }

    private static void moveNotifyUnlocked() {
        I915Exporter i915 = new I915Exporter();
        i915.moveNotifyUnlocked = true;
        GemObject obj = i915.createAndExport("gem-move", SIZE);
        AmdgpuImporter amdgpu = new AmdgpuImporter("amdgpu");
        AmdgpuImporter.Import imp = amdgpu.importBuffer(obj.dmabuf());
        i915.migrate(obj, Placement.LMEM);
        amdgpu.release(imp);
    }

    /**
     * Wait-die makes -EDEADLK certain without timing: an older transaction holds B; a younger one
     * holds A and asks for B, and dies at once. Instead of backing off it asks for C.
     */
    private static void wwNoBackoff() throws Exception {
        WwClass wwClass = WwClass.waitDie("demo_wait_die_class");
        ReservationLock a = new ReservationLock(wwClass, "bo-a");
        ReservationLock b = new ReservationLock(wwClass, "bo-b");
        ReservationLock c = new ReservationLock(wwClass, "bo-c");
        CountDownLatch olderHoldsB = new CountDownLatch(1);
        CountDownLatch youngerDone = new CountDownLatch(1);
        WwAcquireContext[] older = new WwAcquireContext[1];
        Thread olderThread = new Thread(
                () -> {
                    older[0] = WwAcquireContext.init(wwClass);
                    try {
                        b.lock(older[0]);
                        olderHoldsB.countDown();
                        Threads.await(youngerDone);
                        b.unlock();
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    } finally {
                        older[0].fini();
                    }
                },
                "older");
        olderThread.start();
        Threads.await(olderHoldsB);
        Threads.inThread("younger", () -> {
            WwAcquireContext ctx = WwAcquireContext.init(wwClass);
            a.lock(ctx);
            try {
                b.lock(ctx);
                throw new IllegalStateException("wait-die: the younger context must die");
            } catch (WwDeadlockException expected) {
                c.lock(ctx); // must release a first, then lockSlow(b)
                c.unlock();
            } finally {
                a.unlock();
                ctx.fini();
                youngerDone.countDown();
            }
        });
        olderThread.join(Threads.TIMEOUT_SECONDS * 1000);
    }

    private static void wwLockAfterDone() throws Exception {
        ReservationLock a = new ReservationLock("bo-a");
        ReservationLock b = new ReservationLock("bo-b");
        WwAcquireContext ctx = WwAcquireContext.init(ReservationLock.CLASS);
        try {
            a.lock(ctx);
            ctx.done();
            b.lock(ctx); // ww_acquire_done said: no more
            b.unlock();
            a.unlock();
        } finally {
            ctx.fini();
        }
    }

    private static void unlockNotHeld() {
        I915Exporter i915 = new I915Exporter();
        GemObject obj = i915.createAndExport("gem-unbalanced", SIZE);
        try {
            obj.resv().unlock();
        } catch (IllegalMonitorStateException expected) {
            System.out.println("  unlock-not-held: " + expected.getMessage());
        }
    }

    private static void heldAtThreadExit() throws Exception {
        I915Exporter i915 = new I915Exporter();
        GemObject obj = i915.createAndExport("gem-leaked", SIZE);
        Threads.inThread("leaky-worker", () -> obj.resv().lock());
    }
}
