package io.jlockdep.bench;

import com.google.common.util.concurrent.CycleDetectingLockFactory;
import io.jlockdep.dmabuf.Device;
import io.jlockdep.dmabuf.DmaBuf;
import io.jlockdep.dmabuf.DmaBufAttachment;
import io.jlockdep.dmabuf.DmaBufExportInfo;
import io.jlockdep.dmabuf.DmaBufOps;
import io.jlockdep.dmabuf.DmaDataDirection;
import io.jlockdep.dmabuf.SgTable;
import io.jlockdep.resv.ReservationLock;
import io.jlockdep.resv.WwAcquireContext;
import io.jlockdep.resv.WwMutexException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;

/**
 * The lock workloads. Each runs in a JVM without the agent and in one with it (the runner
 * decides, {@link BenchMain}); the Guava variants run without the agent, on Guava's
 * cycle-detecting ReentrantLocks, for the same nesting as {@link #nestedReentrantLocks}.
 * Average time per operation: the ratio agent / no agent is the overhead.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class LockBenchmarks {

    /** Per-thread locks, so two threads never share one (the disjoint-locks workload). */
    @State(Scope.Thread)
    public static class Locks {
        final ReservationLock resv = new ReservationLock("bench.resv");
        final ReentrantLock outer = new ReentrantLock();
        final ReentrantLock inner = new ReentrantLock();
        final Object monitor = new Object();
        long counter;

        ReentrantLock guavaOuter;
        ReentrantLock guavaInner;
        DmaBufAttachment attach;

        @Setup(Level.Trial)
        public void setUp() {
            CycleDetectingLockFactory factory =
                    CycleDetectingLockFactory.newInstance(CycleDetectingLockFactory.Policies.WARN);
            guavaOuter = factory.newReentrantLock("outer");
            guavaInner = factory.newReentrantLock("inner");
            DmaBuf buf = DmaBuf.export(new DmaBufExportInfo("bench", new Exporter(), DmaBuf.PAGE_SIZE, new Object()));
            attach = buf.attach(Device.of("bench-dev"));
        }
    }

    static final class Exporter implements DmaBufOps {
        private final SgTable table = SgTable.of(0x1000, DmaBuf.PAGE_SIZE);

        @Override
        public SgTable mapDmaBuf(DmaBufAttachment attach, DmaDataDirection direction) {
            return table;
        }

        @Override
        public void unmapDmaBuf(DmaBufAttachment attach, SgTable t, DmaDataDirection direction) {}

        @Override
        public void release(DmaBuf dmabuf) {}
    }

    /** An uncontended reservation lock and unlock. */
    @Benchmark
    public void reservationLockUnlock(Locks s) {
        s.resv.lock();
        s.resv.unlock();
    }

    /** The nested chain: a reservation under a ww context, then a ReentrantLock, then a synchronized block. */
    @Benchmark
    public long nestedChain(Locks s) throws WwMutexException {
        WwAcquireContext ctx = WwAcquireContext.init(ReservationLock.CLASS);
        s.resv.lock(ctx);
        s.outer.lock();
        try {
            synchronized (s.monitor) {
                s.counter++;
            }
        } finally {
            s.outer.unlock();
            s.resv.unlock();
            ctx.fini();
        }
        return s.counter;
    }

    /** Two nested ReentrantLocks: the pattern Guava's factory checks. */
    @Benchmark
    public void nestedReentrantLocks(Locks s) {
        s.outer.lock();
        try {
            s.inner.lock();
            s.inner.unlock();
        } finally {
            s.outer.unlock();
        }
    }

    /** The same nesting on Guava's CycleDetectingLockFactory locks (run without the agent). */
    @Benchmark
    public void guavaNestedReentrantLocks(Locks s) {
        s.guavaOuter.lock();
        try {
            s.guavaInner.lock();
            s.guavaInner.unlock();
        } finally {
            s.guavaOuter.unlock();
        }
    }

    /** Two threads, each on its own locks: what a global lock or a shared counter would cost. */
    @Benchmark
    @Threads(2)
    public long disjointTwoThreads(Locks s) {
        s.outer.lock();
        try {
            s.resv.lock();
            s.counter++;
            s.resv.unlock();
        } finally {
            s.outer.unlock();
        }
        return s.counter;
    }

    /** The same on one thread, the per-thread baseline of {@link #disjointTwoThreads}. */
    @Benchmark
    public long disjointOneThread(Locks s) {
        return disjointTwoThreads(s);
    }

    /** The dma-buf importer loop: lock, map, unmap, unlock. */
    @Benchmark
    public SgTable importerLoop(Locks s) {
        s.attach.dmabuf().resv().lock();
        try {
            SgTable t = DmaBuf.mapAttachment(s.attach, DmaDataDirection.TO_DEVICE);
            DmaBuf.unmapAttachment(s.attach, t, DmaDataDirection.TO_DEVICE);
            return t;
        } finally {
            s.attach.dmabuf().resv().unlock();
        }
    }
}
