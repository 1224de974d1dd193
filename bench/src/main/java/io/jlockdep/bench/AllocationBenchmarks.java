package io.jlockdep.bench;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * What a lock's allocation costs: with the agent, a JDK lock's constructor walks the stack once to
 * find its allocation site (its lock class), past any lock wrapper's frames; it is paid once per
 * lock, never per acquisition. Run without and with {@code -javaagent} (BENCHMARKS.md).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class AllocationBenchmarks {

    /** A lock wrapper as the agent recognises one: its method returns with its lock taken. */
    public static final class Guard implements AutoCloseable {
        private final ReentrantLock lock = new ReentrantLock();

        public Guard lock() {
            lock.lock();
            return this;
        }

        @Override
        public void close() {
            lock.unlock();
        }
    }

    /** An application type with a synchronized method: its constructor tells where each object is made (issue 28). */
    public static final class Counter {
        private int n;

        public synchronized int increment() {
            return ++n;
        }
    }

    private boolean flip;

    @Benchmark
    public Counter allocateSynchronizedObject() {
        return new Counter();
    }

    /** Made at two sites in turn: the second site's objects get a weak-table entry each. */
    @Benchmark
    public Counter allocateSynchronizedObjectAtTwoSites() {
        flip = !flip;
        return flip ? new Counter() : new Counter();
    }

    @Benchmark
    public ReentrantLock allocateReentrantLock() {
        return new ReentrantLock();
    }

    @Benchmark
    public Guard allocateWrappedLock() {
        return new Guard();
    }

    @Benchmark
    public Object allocateMonitorAndLockIt() {
        Object monitor = new Object();
        synchronized (monitor) {
            return monitor;
        }
    }
}
