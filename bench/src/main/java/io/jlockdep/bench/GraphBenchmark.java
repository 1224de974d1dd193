package io.jlockdep.bench;

import io.jlockdep.agent.engine.LockClass;
import io.jlockdep.agent.engine.Lockdep;
import io.jlockdep.agent.engine.LockdepConfig;
import io.jlockdep.agent.engine.ViolationSink;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The cost of validating a never-seen dependency as the graph grows: the engine (directly, no
 * agent) holds a graph of {@code classes} lock classes and {@code edges} dependencies, all
 * consistent with a hidden random order (so acyclic, and unrelated to the order the classes were
 * created in); each operation takes a new pair A then B consistent with that order — a new
 * chain, a new dependency, a cycle search, a stack capture — and releases them.
 * Sampled, so the median is reported.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@State(Scope.Benchmark)
public class GraphBenchmark {

    @Param({"10000"})
    public int classes;

    @Param({"100000"})
    public int edges;

    private Lockdep engine;
    private LockClass[] byRank;
    private Object[] locks;
    private Random random;

    @Setup(Level.Trial)
    public void build() {
        engine = new Lockdep(
                LockdepConfig.builder()
                        .maxClasses(classes + 10)
                        .maxEdges(edges * 4)
                        .maxChains(edges * 8)
                        .build(),
                ViolationSink.NONE);
        random = new Random(42);
        LockClass[] created = new LockClass[classes];
        for (int i = 0; i < classes; i++) {
            created[i] = engine.lockClass("class-" + i, "class-" + i, LockClass.Kind.MUTEX);
        }
        // A hidden order: byRank[r] is the class of rank r; dependencies only go from lower to higher rank.
        byRank = created.clone();
        for (int i = classes - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            LockClass t = byRank[i];
            byRank[i] = byRank[j];
            byRank[j] = t;
        }
        locks = new Object[classes];
        for (int i = 0; i < classes; i++) {
            locks[i] = new Object();
        }
        while (engine.edgeCount() < edges) {
            addRandomDependency();
        }
    }

    private void addRandomDependency() {
        int a = random.nextInt(classes);
        int b = random.nextInt(classes);
        if (a == b) {
            return;
        }
        int lo = Math.min(a, b);
        int hi = Math.max(a, b);
        engine.acquire(locks[lo], byRank[lo], Lockdep.WRITE, 0, null, null);
        engine.acquired(locks[lo]);
        engine.acquire(locks[hi], byRank[hi], Lockdep.WRITE, 0, null, null);
        engine.acquired(locks[hi]);
        engine.release(locks[hi], byRank[hi], Lockdep.WRITE);
        engine.release(locks[lo], byRank[lo], Lockdep.WRITE);
    }

    /** One new dependency (once in a while a pair repeats and is a cached chain; rare at this size). */
    @Benchmark
    public int newDependency() {
        addRandomDependency();
        return engine.edgeCount();
    }
}
