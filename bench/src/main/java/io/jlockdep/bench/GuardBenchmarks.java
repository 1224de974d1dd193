package io.jlockdep.bench;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * What a {@code @GuardedBy} field costs under the agent (issue 18): each benchmark takes a lock
 * and reads and writes a field in it, once with the field annotated and once without, so the
 * difference is the two checks (an accessor call and a scan of the thread's held locks each).
 * The bench jar is a jar, which {@code guards=on} leaves to its authors, so run it with
 * {@code guards=io.jlockdep.bench} (BENCHMARKS.md).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class GuardBenchmarks {

    private final Object monitor = new Object();
    private final ReentrantLock lock = new ReentrantLock();

    @GuardedBy("monitor")
    private long guardedByMonitor;

    private long plainUnderMonitor;

    @GuardedBy("lock")
    private long guardedByLock;

    private long plainUnderLock;

    @Benchmark
    public long monitorGuardedField() {
        synchronized (monitor) {
            return ++guardedByMonitor;
        }
    }

    /** A guarded field of another class: its accesses here go through {@code invokedynamic}. */
    static final class Counter {
        final Object monitor = new Object();

        @GuardedBy("monitor")
        long value;
    }

    private final Counter counter = new Counter();

    @Benchmark
    public long monitorGuardedFieldOfAnotherClass() {
        Counter c = counter;
        synchronized (c.monitor) {
            return ++c.value;
        }
    }

    @Benchmark
    public long monitorPlainField() {
        synchronized (monitor) {
            return ++plainUnderMonitor;
        }
    }

    @Benchmark
    public long reentrantLockGuardedField() {
        lock.lock();
        try {
            return ++guardedByLock;
        } finally {
            lock.unlock();
        }
    }

    @Benchmark
    public long reentrantLockPlainField() {
        lock.lock();
        try {
            return ++plainUnderLock;
        } finally {
            lock.unlock();
        }
    }
}
