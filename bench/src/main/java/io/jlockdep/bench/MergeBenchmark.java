package io.jlockdep.bench;

import io.jlockdep.agent.cli.Merge;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
import org.openjdk.jmh.annotations.TearDown;

/**
 * {@code merge} of large reports (issue 12, item 5): two JVMs' reports whose union has
 * {@code edges} dependencies, read from files and searched for cross-JVM cycles. {@code chain}:
 * one JVM took a chain of {@code edges} dependencies, the other the one that closes it (a single
 * cycle through every class). {@code random}: a load test's graph, {@code edges} random
 * dependencies over 2,000 classes consistent with one order, and 100 reversed ones in the second
 * JVM (100 small cross-JVM cycles). One shot per iteration: reading the files is part of it.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@State(Scope.Benchmark)
public class MergeBenchmark {

    @Param({"100000"})
    public int edges;

    @Param({"chain", "random"})
    public String shape;

    private Path dir;
    private Path first;
    private Path second;

    @Setup(Level.Trial)
    public void write() throws IOException {
        dir = Files.createTempDirectory("jlockdep-merge-bench");
        first = dir.resolve("first.json");
        second = dir.resolve("second.json");
        if (shape.equals("chain")) {
            try (Writer w = report(first, 1)) {
                for (int i = 0; i < edges; i++) {
                    edge(w, i > 0, "L" + i, "L" + (i + 1));
                }
                end(w);
            }
            try (Writer w = report(second, 2)) {
                edge(w, false, "L" + edges, "L0");
                end(w);
            }
        } else {
            Random random = new Random(42);
            int classes = 2000;
            long[] taken = new long[edges];
            try (Writer w = report(first, 1)) {
                for (int i = 0; i < edges; i++) {
                    int a = random.nextInt(classes - 1);
                    int b = a + 1 + random.nextInt(classes - a - 1);
                    taken[i] = (long) a << 32 | b;
                    edge(w, i > 0, "C" + a, "C" + b);
                }
                end(w);
            }
            try (Writer w = report(second, 2)) {
                for (int i = 0; i < 100; i++) {
                    long e = taken[random.nextInt(edges)];
                    edge(w, i > 0, "C" + (int) e, "C" + (int) (e >>> 32));
                }
                end(w);
            }
        }
    }

    private static Writer report(Path file, int pid) throws IOException {
        Writer w = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
        w.write("{\"jlockdep\":{\"version\":1,\"pid\":" + pid
                + "},\"violations\":[],\"graph\":{\"classes\":[],\"edges\":[");
        return w;
    }

    private static void edge(Writer w, boolean comma, String from, String to) throws IOException {
        w.write((comma ? "," : "") + "{\"from\":\"" + from + "\",\"to\":\"" + to
                + "\",\"thread\":\"main\",\"stack\":[\"app.Load.run(Load.java:1)\",\"app.Main.main(Main.java:2)\"]}");
    }

    private static void end(Writer w) throws IOException {
        w.write("]},\"notices\":[]}");
    }

    @TearDown(Level.Trial)
    public void clean() throws IOException {
        for (Path p : List.of(first, second, dir)) {
            Files.deleteIfExists(p);
        }
    }

    @Benchmark
    public int merge() throws IOException {
        Merge m = new Merge();
        m.add(first);
        m.add(second);
        return m.cycles(true).size();
    }
}
