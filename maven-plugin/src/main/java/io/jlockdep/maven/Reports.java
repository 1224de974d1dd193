package io.jlockdep.maven;

import io.jlockdep.agent.cli.Frames;
import io.jlockdep.agent.cli.Merge;
import io.jlockdep.agent.cli.Render;
import io.jlockdep.agent.cli.ReportFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The build-level verdict {@code check} and {@code report-aggregate} give: every report the
 * build's test JVMs wrote, merged ({@code java -jar jlockdep-agent.jar merge}), the cycles no
 * single JVM saw, a summary written as JSON and HTML, and a short text for the console.
 */
final class Reports {

    private static final Pattern AGENT_REPORT = Pattern.compile("jlockdep-[0-9]+\\.json");

    /** The file {@code prepare-agent} leaves in a run directory: test JVMs under the agent were due there. */
    static final String PREPARED = ".prepared";

    /**
     * How much older than the build's start a run directory's {@link #PREPARED} marker may look
     * and still count as this build's: file systems keep modification times to a second or two.
     */
    static final long CLOCK_SLACK_MILLIS = 2_000;

    /**
     * The run directories under {@code directory} that a {@code prepare-agent} goal prepared in
     * this build (its {@link #PREPARED} marker written since {@code buildStart}), in name order. A
     * run directory an earlier build left, which nothing prepared now, is not this build's: its
     * reports are never judged with this build's.
     */
    static List<Path> runsPreparedSince(Path directory, long buildStart) throws IOException {
        List<Path> prepared = new ArrayList<>();
        if (!Files.isDirectory(directory)) {
            return prepared;
        }
        try (Stream<Path> runs = Files.list(directory)) {
            for (Path run : (Iterable<Path>) runs.filter(Files::isDirectory).sorted()::iterator) {
                Path marker = run.resolve(PREPARED);
                if (Files.isRegularFile(marker)
                        && Files.getLastModifiedTime(marker).toMillis() >= buildStart - CLOCK_SLACK_MILLIS) {
                    prepared.add(run);
                }
            }
        }
        return prepared;
    }

    /** The runs of {@code runs} none of whose JVMs wrote a report. */
    static List<Path> withoutReport(List<Path> runs) throws IOException {
        List<Path> empty = new ArrayList<>();
        for (Path run : runs) {
            try (Stream<Path> files = Files.list(run)) {
                if (files.noneMatch(Reports::isAgentReport)) {
                    empty.add(run);
                }
            }
        }
        return empty;
    }

    /** The summary files, beside the run directories. */
    static final String SUMMARY_JSON = "jlockdep.json";

    static final String SUMMARY_HTML = "jlockdep.html";

    /** The most violations printed one by one on the console; the files have them all. */
    static final int CONSOLE_VIOLATIONS = 10;

    /** The frames printed per stack on the console. */
    static final int CONSOLE_FRAMES = 8;

    private final Merge merge = new Merge();
    private List<Merge.Cycle> cycles = List.of();

    /** Whether {@code file} is a report a JVM under the agent wrote into a directory: {@code jlockdep-<pid>.json}. */
    static boolean isAgentReport(Path file) {
        return AGENT_REPORT.matcher(file.getFileName().toString()).matches();
    }

    /** Whether {@code file} is a report being written (or left by a killed JVM): {@code .jlockdep-<pid>.json.<pid>.<n>.tmp}. */
    static boolean isAgentTemporary(Path file) {
        String n = file.getFileName().toString();
        return n.startsWith(".jlockdep-") && n.endsWith(".tmp");
    }

    /** The JVMs' reports in {@code runs} (run directories), in name order. */
    static List<Path> find(List<Path> runs) throws IOException {
        List<Path> found = new ArrayList<>();
        for (Path run : runs) {
            try (Stream<Path> files = Files.list(run)) {
                files.filter(f -> Files.isRegularFile(f) && isAgentReport(f))
                        .sorted()
                        .forEach(found::add);
            }
        }
        return found;
    }

    /** Reads every report of {@code files}; one that is not a report is named, never skipped. */
    void addAll(List<Path> files) throws IOException {
        for (Path f : files) {
            merge.add(f);
        }
        cycles = merge.cycles(true);
    }

    int reportCount() {
        return merge.reports().size();
    }

    int violationCount() {
        return merge.violations().size();
    }

    int crossJvmCycleCount() {
        return cycles.size();
    }

    boolean clean() {
        return violationCount() == 0 && crossJvmCycleCount() == 0;
    }

    /** Writes {@code jlockdep.json} (the merged report, whole stacks) and {@code jlockdep.html} into {@code directory}. */
    void writeSummary(Path directory) throws IOException {
        Files.createDirectories(directory);
        Path json = directory.resolve(SUMMARY_JSON);
        write(json, merge.toJson(cycles));
        write(directory.resolve(SUMMARY_HTML), new Render(ReportFile.read(json)).toHtml());
    }

    private static void write(Path file, String text) throws IOException {
        Path tmp = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".tmp");
        try {
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static void frames(List<String> lines, List<String> stack) {
        for (String f : Frames.trim(stack, CONSOLE_FRAMES)) {
            lines.add(f.startsWith("...") ? "    " + f : "    at " + f);
        }
    }

    /**
     * The console's text: one line of counts, then each violation (rule, title, message, thread,
     * its first frames without the test harness's) and each cross-JVM cycle, up to
     * {@link #CONSOLE_VIOLATIONS}; the files are named for the rest.
     */
    @SuppressWarnings("unchecked")
    List<String> consoleLines(Path directory) {
        List<String> lines = new ArrayList<>();
        lines.add("jlockdep: " + reportCount() + " test JVM report(s), " + merge.classCount() + " lock classes, "
                + merge.dependencyCount() + " dependencies: " + violationCount() + " violation(s), "
                + crossJvmCycleCount() + " circular dependenc" + (crossJvmCycleCount() == 1 ? "y" : "ies")
                + " across JVMs");
        int shown = 0;
        for (Map<String, Object> v : merge.violations()) {
            if (shown++ == CONSOLE_VIOLATIONS) {
                break;
            }
            lines.add("");
            lines.add("[" + v.get("rule") + "] " + v.get("title"));
            lines.add("  " + v.get("message"));
            lines.add("  thread " + v.get("thread") + " in process " + v.get("pid") + " (" + v.get("report") + ")");
            Object stack = v.get("stack");
            if (stack instanceof List<?> frames && !frames.isEmpty()) {
                frames(lines, (List<String>) frames);
            }
        }
        for (Merge.Cycle c : cycles) {
            if (shown++ == CONSOLE_VIOLATIONS) {
                break;
            }
            lines.add("");
            lines.add("[lockdep/circular-dependency] possible circular locking dependency across JVMs");
            lines.add("  " + c.names() + ": no single test JVM took all of these (processes " + c.pids() + ")");
            for (Merge.Dependency d : c.dependencies()) {
                Merge.Seen s = d.seen().get(0);
                lines.add("  " + d.from() + " -> " + d.to() + ": thread " + s.thread() + " in process " + s.pid());
                frames(lines, s.stack());
            }
        }
        if (shown > CONSOLE_VIOLATIONS) {
            lines.add("");
            lines.add("... and " + (violationCount() + crossJvmCycleCount() - CONSOLE_VIOLATIONS) + " more");
        }
        lines.add("");
        lines.add("jlockdep: the whole reports: " + directory.resolve(SUMMARY_HTML) + " and "
                + directory.resolve(SUMMARY_JSON));
        return lines;
    }
}
