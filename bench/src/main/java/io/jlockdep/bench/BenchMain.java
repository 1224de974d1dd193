package io.jlockdep.bench;

import io.jlockdep.testkit.AgentJvm;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * {@code java -jar bench/target/jlockdep-bench.jar [--quick] [--out FILE]} from the project's
 * root: runs the lock workloads in forks without the agent and with it, the Guava variants, the
 * new-dependency benchmark, and times the JVM start-up of a demo scenario with and without the
 * agent; prints the results as ratios (and writes them as Markdown to FILE).
 */
public final class BenchMain {

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        boolean quick = Arrays.asList(args).contains("--quick");
        int out = Arrays.asList(args).indexOf("--out");
        Path outFile = out >= 0 && out + 1 < args.length ? Path.of(args[out + 1]) : null;
        Path agent = Path.of(System.getProperty("jlockdep.agent.jar", "agent/target/jlockdep-agent.jar"));
        Path demo = Path.of(System.getProperty("jlockdep.demo.jar", "demo-drivers/target/jlockdep-demo.jar"));
        for (Path p : List.of(agent, demo)) {
            if (!Files.isRegularFile(p)) {
                System.err.println("jlockdep-bench: " + p + " not found; run from the project root after"
                        + " mvn -B -q -DskipTests package (or set -Djlockdep.agent.jar / -Djlockdep.demo.jar)");
                System.exit(2);
            }
        }
        String agentArg = "-javaagent:" + agent.toAbsolutePath() + "=log=off";

        Map<String, Double> plain = scores(run(quick, LockBenchmarks.class.getName() + "\\.", null));
        Map<String, Double> withAgent = scores(run(quick, LockBenchmarks.class.getName() + "\\.(?!guava)", agentArg));
        Collection<RunResult> graph =
                run(quick, GraphBenchmark.class.getName(), "-Xbootclasspath/a:" + agent.toAbsolutePath());
        Collection<RunResult> merges = runOnce(MergeBenchmark.class.getName(), agent);
        double[] startPlain = startup(demo, null, quick ? 5 : 10);
        double[] startAgent = startup(demo, agentArg, quick ? 5 : 10);

        StringBuilder md = new StringBuilder();
        md.append("| workload | no agent | with jlockdep | ratio | Guava CycleDetectingLockFactory | ratio |\n");
        md.append("|---|---:|---:|---:|---:|---:|\n");
        for (String name : List.of(
                "reservationLockUnlock",
                "nestedChain",
                "nestedReentrantLocks",
                "disjointOneThread",
                "disjointTwoThreads",
                "importerLoop")) {
            double p = plain.get(name);
            double a = withAgent.get(name);
            md.append(String.format(Locale.ROOT, "| %s | %.1f ns | %.1f ns | %.2fx |", name, p, a, a / p));
            if (name.equals("nestedReentrantLocks")) {
                double g = plain.get("guavaNestedReentrantLocks");
                md.append(String.format(Locale.ROOT, " %.1f ns | %.2fx |%n", g, g / p));
            } else {
                md.append(" | |\n");
            }
        }
        double twoPlain = plain.get("disjointTwoThreads");
        double twoAgent = withAgent.get("disjointTwoThreads");
        md.append(String.format(
                Locale.ROOT,
                "%nTwo threads on disjoint locks keep %.0f%% of their throughput with the agent"
                        + " (per-thread time %.1f ns -> %.1f ns).%n",
                100 * twoPlain / twoAgent,
                twoPlain,
                twoAgent));
        for (RunResult r : graph) {
            var stats = r.getPrimaryResult().getStatistics();
            md.append(String.format(
                    Locale.ROOT,
                    "%nNew-dependency validation at %s classes / %s edges: median %.1f us,"
                            + " p90 %.1f us, p99 %.1f us (%d samples).%n",
                    r.getParams().getParam("classes"),
                    r.getParams().getParam("edges"),
                    stats.getPercentile(50),
                    stats.getPercentile(90),
                    stats.getPercentile(99),
                    stats.getN()));
        }
        for (RunResult r : merges) {
            md.append(String.format(
                    Locale.ROOT,
                    "%n`merge` of two reports, %s dependencies (%s): %.0f ms (median of %d).%n",
                    r.getParams().getParam("edges"),
                    r.getParams().getParam("shape"),
                    r.getPrimaryResult().getStatistics().getPercentile(50),
                    r.getPrimaryResult().getStatistics().getN()));
        }
        md.append(String.format(
                Locale.ROOT,
                "%nJVM start-up and run of the demo scenario `mmap` (whole process, median of"
                        + " %d): %.0f ms without the agent, %.0f ms with it: +%.0f ms.%n",
                startPlain.length,
                median(startPlain),
                median(startAgent),
                median(startAgent) - median(startPlain)));
        md.append(String.format(
                Locale.ROOT,
                "%nMachine: %d cores, %s %s (%s), %s.%n",
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("java.vm.name"),
                System.getProperty("java.version"),
                System.getProperty("java.vendor"),
                System.getProperty("os.name") + " " + System.getProperty("os.arch")));
        System.out.println();
        System.out.println(md);
        if (outFile != null) {
            Files.writeString(outFile, md.toString(), StandardCharsets.UTF_8);
        }
    }

    /** Single-shot benchmarks (the tools around the agent), five shots after two warm-up shots. */
    private static Collection<RunResult> runOnce(String include, Path agent) throws RunnerException {
        return new Runner(new OptionsBuilder()
                        .include(include)
                        .forks(1)
                        .warmupIterations(2)
                        .measurementIterations(5)
                        .jvmArgsAppend("-Xbootclasspath/a:" + agent.toAbsolutePath(), "-Xmx2g")
                        .build())
                .run();
    }

    private static Collection<RunResult> run(boolean quick, String include, String agentArg) throws RunnerException {
        ChainedOptionsBuilder o = new OptionsBuilder()
                .include(include)
                .forks(1)
                .warmupIterations(quick ? 2 : 3)
                .warmupTime(TimeValue.seconds(1))
                .measurementIterations(quick ? 3 : 5)
                .measurementTime(TimeValue.seconds(1))
                .jvmArgsAppend("-Xms512m", "-Xmx2g");
        if (agentArg != null) {
            o = o.jvmArgsAppend(agentArg);
        }
        return new Runner(o.build()).run();
    }

    private static Map<String, Double> scores(Collection<RunResult> results) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (RunResult r : results) {
            String label = r.getPrimaryResult().getLabel();
            m.put(label, r.getPrimaryResult().getScore());
        }
        return m;
    }

    /** Wall-clock milliseconds of whole JVM runs of one demo scenario, in-process (no child JVMs). */
    private static double[] startup(Path demo, String agentArg, int runs) throws IOException, InterruptedException {
        double[] ms = new double[runs];
        for (int i = 0; i < runs; i++) {
            AgentJvm jvm = agentArg == null ? AgentJvm.withoutAgent() : AgentJvm.fromAgentArgument(agentArg);
            long t0 = System.nanoTime();
            AgentJvm.Result r = jvm.jvmArgs(List.of("-Xshare:auto"))
                    .classPath(demo.toString())
                    .run("io.jlockdep.demo.DemoMain", "--run-one", "mmap");
            if (r.timedOut()) {
                throw new IllegalStateException("start-up run did not end: " + r);
            }
            ms[i] = (System.nanoTime() - t0) / 1e6;
        }
        return ms;
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v.length % 2 == 1 ? v[v.length / 2] : (v[v.length / 2 - 1] + v[v.length / 2]) / 2;
    }
}
