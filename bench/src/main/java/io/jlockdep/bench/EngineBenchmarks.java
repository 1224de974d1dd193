package io.jlockdep.bench;

import io.jlockdep.agent.engine.LockClass;
import io.jlockdep.agent.engine.Lockdep;
import io.jlockdep.agent.engine.LockdepConfig;
import io.jlockdep.agent.engine.ViolationSink;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The engine's own per-event cost, called directly (no agent, no instrumentation, no class
 * lookup): what a known chain costs between the hooks and the thread's state. Compared with
 * {@link LockBenchmarks} under the agent, the difference is the instrumentation's share (the
 * hooks, the lock-class lookup).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@State(Scope.Thread)
@Fork(1)
public class EngineBenchmarks {

    private Lockdep engine;
    private LockClass outerClass;
    private LockClass innerClass;
    private final Object outer = new Object();
    private final Object inner = new Object();

    @Setup(Level.Trial)
    public void build() {
        engine = new Lockdep(LockdepConfig.builder().build(), ViolationSink.NONE);
        outerClass = engine.lockClass("outer", "outer", LockClass.Kind.MUTEX);
        innerClass = engine.lockClass("inner", "inner", LockClass.Kind.MUTEX);
    }

    /** One blocking lock, acquired and released: three events ({@code acquire}, {@code acquired}, {@code release}). */
    @Benchmark
    public void oneLock() {
        Object token = engine.acquireBlocking(outer, outerClass, Lockdep.WRITE, Lockdep.REENTRANT);
        engine.acquiredBlocking(token, outer);
        engine.releaseIfHeld(outer, Lockdep.WRITE);
    }

    /** Two nested blocking locks: six events, the second on a two-lock chain. */
    @Benchmark
    public void twoNested() {
        Object t1 = engine.acquireBlocking(outer, outerClass, Lockdep.WRITE, Lockdep.REENTRANT);
        engine.acquiredBlocking(t1, outer);
        Object t2 = engine.acquireBlocking(inner, innerClass, Lockdep.WRITE, Lockdep.REENTRANT);
        engine.acquiredBlocking(t2, inner);
        engine.releaseIfHeld(inner, Lockdep.WRITE);
        engine.releaseIfHeld(outer, Lockdep.WRITE);
    }

    /** A monitor's events as the monitor hooks raise them: {@code acquire}, {@code acquired(lock)}, {@code releaseMonitor}. */
    @Benchmark
    public void oneMonitor() {
        engine.acquire(outer, outerClass, Lockdep.WRITE, Lockdep.REENTRANT, null, null);
        engine.acquired(outer);
        engine.releaseMonitor(outer);
    }
}
