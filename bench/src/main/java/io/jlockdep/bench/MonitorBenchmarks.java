package io.jlockdep.bench;

import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;

/**
 * An uncontended {@code synchronized} method and {@code synchronized} block, one thread: what a
 * monitor costs with the agent (a synchronized method's monitor is taken explicitly in its body,
 * checked before it can block). Run without and with {@code -javaagent} (BENCHMARKS.md).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class MonitorBenchmarks {

    private final Object lock = new Object();
    private int count;

    private synchronized int bump() {
        return ++count;
    }

    @Benchmark
    public int synchronizedMethod() {
        return bump();
    }

    @Benchmark
    public int synchronizedBlock() {
        synchronized (lock) {
            return ++count;
        }
    }
}
