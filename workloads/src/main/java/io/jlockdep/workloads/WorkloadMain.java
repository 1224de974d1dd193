package io.jlockdep.workloads;

import io.jlockdep.testkit.AgentJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code java -jar workloads/target/jlockdep-workloads.jar [--quick] [--rounds N] [--seconds S]
 * [--only NAME] [--out FILE] [--options KEY=VALUE,...]} from the project's root: runs each real
 * workload ({@link Workloads})
 * in fresh JVMs without the agent and with it, alternated, and prints (and writes as Markdown)
 * the throughput ratio, the start-up difference, the peak RSS, and every report the agent made
 * (rule and message): on correct libraries each one is a false positive to fix or a true
 * inversion to explain. Exit status 1 when any report was made. {@code --options}: more agent
 * options (e.g. {@code guards=all}, to check the libraries' own lock contracts too).
 */
public final class WorkloadMain {

    private WorkloadMain() {}

    private record Run(double opsPerSecond, long readyMillis, long rssKb, List<String> reports) {}

    public static void main(String[] args) throws Exception {
        List<String> a = Arrays.asList(args);
        boolean quick = a.contains("--quick");
        int rounds = intArg(a, "--rounds", quick ? 1 : 3);
        int seconds = intArg(a, "--seconds", quick ? 2 : 4);
        String only = stringArg(a, "--only", null);
        String out = stringArg(a, "--out", null);
        String options = stringArg(a, "--options", null);
        Path agent = Path.of(System.getProperty("jlockdep.agent.jar", "agent/target/jlockdep-agent.jar"));
        Path jar = Path.of(System.getProperty("jlockdep.workloads.jar", "workloads/target/jlockdep-workloads.jar"));
        for (Path p : List.of(agent, jar)) {
            if (!Files.isRegularFile(p)) {
                System.err.println("jlockdep-workloads: " + p + " not found; run from the project root after"
                        + " mvn -B -q -DskipTests package (or set -Djlockdep.agent.jar / -Djlockdep.workloads.jar)");
                System.exit(2);
            }
        }
        Path dir = Files.createTempDirectory("jlockdep-workloads");
        StringBuilder md = new StringBuilder();
        md.append(String.format(
                Locale.ROOT,
                "%d round(s) of %d s per workload, without and with the agent%s alternated, %s, %d cores.%n%n",
                rounds,
                seconds,
                options == null ? "" : " (" + options + ")",
                "Java " + System.getProperty("java.version"),
                Runtime.getRuntime().availableProcessors()));
        md.append("| workload | ops/s without | ops/s with | throughput kept | start-up without | with | difference |"
                + " peak RSS without | with | reports |\n");
        md.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n");
        Map<String, Set<String>> allReports = new LinkedHashMap<>();
        for (String name : Workloads.NAMES) {
            if (only != null && !only.equals(name)) {
                continue;
            }
            List<Run> plain = new ArrayList<>();
            List<Run> checked = new ArrayList<>();
            for (int r = 0; r < rounds; r++) {
                plain.add(run(AgentJvm.withoutAgent(), jar, dir, name, seconds, null));
                Path report = dir.resolve(name + "-" + r + ".json");
                checked.add(run(
                        AgentJvm.under(agent.toAbsolutePath())
                                .options(options == null ? "log=stderr" : "log=stderr," + options)
                                .report(report),
                        jar,
                        dir,
                        name,
                        seconds,
                        report));
            }
            Set<String> reports = new LinkedHashSet<>();
            for (Run run : checked) {
                reports.addAll(run.reports);
            }
            allReports.put(name, reports);
            double opsPlain = median(plain, Run::opsPerSecond);
            double opsChecked = median(checked, Run::opsPerSecond);
            double readyPlain = median(plain, x -> x.readyMillis);
            double readyChecked = median(checked, x -> x.readyMillis);
            String row = String.format(
                    Locale.ROOT,
                    "| %s | %.0f | %.0f | %.2f | %.0f ms | %.0f ms | %+.0f ms | %.0f MB | %.0f MB | %d |",
                    name,
                    opsPlain,
                    opsChecked,
                    opsChecked / opsPlain,
                    readyPlain,
                    readyChecked,
                    readyChecked - readyPlain,
                    median(plain, x -> x.rssKb) / 1024,
                    median(checked, x -> x.rssKb) / 1024,
                    reports.size());
            System.out.println(row);
            md.append(row).append('\n');
        }
        md.append("\nReports (distinct rule and message, over all rounds):\n\n");
        boolean any = false;
        for (Map.Entry<String, Set<String>> e : allReports.entrySet()) {
            for (String report : e.getValue()) {
                md.append("- ").append(e.getKey()).append(": ").append(report).append('\n');
                any = true;
            }
        }
        if (!any) {
            md.append("none\n");
        }
        System.out.println();
        System.out.print(md);
        if (out != null) {
            Files.writeString(Path.of(out), md.toString());
        }
        System.exit(any ? 1 : 0);
    }

    private static Run run(AgentJvm jvm, Path jar, Path dir, String name, int seconds, Path report) throws Exception {
        AgentJvm.Result r = jvm.classPath(jar.toAbsolutePath().toString())
                .in(dir)
                .timeoutSeconds(seconds + 120L)
                .run(Workloads.class.getName(), name, String.valueOf(seconds));
        if (r.exitCode() != 0 || !r.stdout().contains("done " + name)) {
            throw new IllegalStateException("workload " + name + " failed: " + r);
        }
        List<String> reports = new ArrayList<>();
        if (report != null) {
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> violations =
                    (List<Map<String, Object>>) AgentJvm.readReport(report).get("violations");
            for (Map<String, Object> v : violations) {
                reports.add(v.get("rule") + " " + v.get("message"));
            }
        }
        return new Run(
                value(r.stdout(), "ops") / (double) seconds,
                value(r.stdout(), "ready"),
                value(r.stdout(), "rss-peak-kb"),
                reports);
    }

    private static long value(String stdout, String key) {
        for (String line : stdout.split("\n")) {
            if (line.startsWith(key + " ")) {
                return Long.parseLong(line.substring(key.length() + 1).trim());
            }
        }
        throw new IllegalStateException("no '" + key + "' in the workload's output:\n" + stdout);
    }

    private interface Figure {
        double of(Run r);
    }

    private static double median(List<Run> runs, Figure f) {
        List<Double> values = new ArrayList<>();
        for (Run r : runs) {
            values.add(f.of(r));
        }
        Collections.sort(values);
        int n = values.size();
        return n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
    }

    private static int intArg(List<String> a, String key, int dflt) {
        String v = stringArg(a, key, null);
        return v == null ? dflt : Integer.parseInt(v);
    }

    private static String stringArg(List<String> a, String key, String dflt) {
        int i = a.indexOf(key);
        return i >= 0 && i + 1 < a.size() ? a.get(i + 1) : dflt;
    }
}
