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
 * checked before it can block); and the JDK's synchronized classes the agent tracks (issue 15):
 * a {@code StringBuffer} built and read, a {@code Hashtable} lookup, a {@code Vector} filled and
 * cleared, a line printed to a {@code PrintStream} over a buffered stream. Run without and with
 * {@code -javaagent} (BENCHMARKS.md).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
public class MonitorBenchmarks {

    private final Object lock = new Object();
    private int count;
    private final java.util.Hashtable<Integer, Integer> table = new java.util.Hashtable<>();
    private final java.util.Vector<Integer> vector = new java.util.Vector<>();
    private final java.io.PrintStream print =
            new java.io.PrintStream(new java.io.BufferedOutputStream(java.io.OutputStream.nullOutputStream()));

    {
        for (int i = 0; i < 16; i++) {
            table.put(i, i);
        }
    }

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

    /** A short {@code StringBuffer}: three appends and a {@code toString}, four monitor acquisitions. */
    @Benchmark
    public String stringBuffer() {
        return new StringBuffer().append("n=").append(++count).append(';').toString();
    }

    @Benchmark
    public Integer hashtableGet() {
        return table.get(++count & 15);
    }

    /** Four adds and a clear: five acquisitions. */
    @Benchmark
    public int vectorAddClear() {
        vector.add(1);
        vector.add(2);
        vector.add(3);
        vector.add(4);
        int n = vector.size();
        vector.clear();
        return n;
    }

    /** {@code println} of a short string: the stream, its writers, the buffered stream below. */
    @Benchmark
    public void printStreamPrintln() {
        print.println("a line");
    }
}
