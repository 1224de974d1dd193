package io.jlockdep.testkit;

import io.jlockdep.agent.cli.JsonReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A JVM under the agent, as a user starts one: {@code java [jvm args] -javaagent:JAR[=options]
 * -cp CP MAIN args} (or {@code -jar}), run in a directory of its own, bounded by a timeout (a JVM
 * still running then is killed, and the result says so), with its output and its JSON report
 * read back. The one way the project's tests, demo runner and benchmarks start such JVMs.
 *
 * <pre>{@code
 * AgentJvm.Result r = AgentJvm.under(agentJar).options("mode=fail").report(dir.resolve("r.json"))
 *         .classPath(cp).in(dir).run("com.example.Main", "arg");
 * r.rules();   // the rule IDs of the report's violations
 * }</pre>
 */
public final class AgentJvm {

    /** What a bounded run gives back when nothing else is said. */
    public static final long DEFAULT_TIMEOUT_SECONDS = 60;

    /**
     * What the JVM did.
     *
     * @param exitCode its exit status, or -1 when it was killed at the timeout
     * @param timedOut whether it was still running at the timeout (then killed)
     * @param stdout its standard output (empty when inherited)
     * @param stderr its standard error (empty when inherited)
     * @param report the JSON report it wrote, parsed, or null when it wrote none (or none was asked)
     * @param command the command line
     */
    public record Result(
            int exitCode,
            boolean timedOut,
            String stdout,
            String stderr,
            Map<String, Object> report,
            List<String> command) {

        /** The report's violations, in order (none without a report). */
        @SuppressWarnings("unchecked")
        public List<Map<String, Object>> violations() {
            return report == null ? List.of() : (List<Map<String, Object>>) report.get("violations");
        }

        /** The rule IDs of {@link #violations()}, in order. */
        public List<String> rules() {
            return violations().stream().map(v -> (String) v.get("rule")).collect(Collectors.toList());
        }

        @Override
        public String toString() {
            return (timedOut ? "killed at the timeout" : "exit " + exitCode) + "\n--- command\n"
                    + String.join(" ", command) + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    private final Path agentJar;
    private String options = "";
    private final List<String> jvmArgs = new ArrayList<>();
    private String classPath;
    private Path report;
    private Path dir;
    private long timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
    private boolean inheritIO;
    private String java = javaExecutable();

    private AgentJvm(Path agentJar) {
        this.agentJar = agentJar;
    }

    /** A JVM under the agent in {@code agentJar}. */
    public static AgentJvm under(Path agentJar) {
        return new AgentJvm(Objects.requireNonNull(agentJar, "agentJar"));
    }

    /**
     * A JVM under the agent and options of a {@code -javaagent:JAR[=options]} argument (the one
     * this JVM was started with, say).
     */
    public static AgentJvm fromAgentArgument(String javaagentArgument) {
        String arg = javaagentArgument.substring("-javaagent:".length());
        int eq = arg.indexOf('=');
        return under(Path.of(eq < 0 ? arg : arg.substring(0, eq))).options(eq < 0 ? "" : arg.substring(eq + 1));
    }

    /** The same JVM without the agent (a baseline). */
    public static AgentJvm withoutAgent() {
        return new AgentJvm(null);
    }

    /** The agent's options, {@code key=value,...} ({@code report=} is added by {@link #report}). */
    public AgentJvm options(String agentOptions) {
        this.options = Objects.requireNonNull(agentOptions, "agentOptions");
        return this;
    }

    /** The agent's options, as set. */
    public String options() {
        return options;
    }

    /** The {@code java} to run (another runtime, a jlink'ed one); by default this JVM's. */
    public AgentJvm java(Path executable) {
        java = executable.toString();
        return this;
    }

    /** Arguments for the JVM itself, before {@code -javaagent}. */
    public AgentJvm jvmArgs(List<String> args) {
        jvmArgs.addAll(args);
        return this;
    }

    /** The class path of {@link #run}. */
    public AgentJvm classPath(String path) {
        this.classPath = path;
        return this;
    }

    /** Where the agent writes its JSON report ({@code report=} option), read back into the result. */
    public AgentJvm report(Path file) {
        this.report = file;
        return this;
    }

    /** The JVM's working directory (default: this JVM's); its output goes to files there. */
    public AgentJvm in(Path directory) {
        this.dir = directory;
        return this;
    }

    /** How long it may run before it is killed. */
    public AgentJvm timeoutSeconds(long seconds) {
        this.timeoutSeconds = seconds;
        return this;
    }

    /** The JVM's output goes to this JVM's (a runner that shows it), not into the result. */
    public AgentJvm inheritIO() {
        this.inheritIO = true;
        return this;
    }

    /** The {@code -javaagent:...} argument, or null without the agent. */
    public String agentArgument() {
        if (agentJar == null) {
            return null;
        }
        List<String> all = new ArrayList<>();
        if (!options.isEmpty()) {
            all.add(options);
        }
        if (report != null) {
            all.add("report=" + report);
        }
        return "-javaagent:" + agentJar + (all.isEmpty() ? "" : "=" + String.join(",", all));
    }

    /** Runs {@code mainClass} with {@code args} on the class path given. */
    public Result run(String mainClass, String... args) throws IOException, InterruptedException {
        List<String> command = start();
        if (classPath != null) {
            command.addAll(List.of("-cp", classPath));
        }
        command.add(mainClass);
        command.addAll(List.of(args));
        return exec(command);
    }

    /** Runs {@code java -jar jar args}. */
    public Result runJar(Path jar, String... args) throws IOException, InterruptedException {
        List<String> command = start();
        command.addAll(List.of("-jar", jar.toString()));
        command.addAll(List.of(args));
        return exec(command);
    }

    private List<String> start() {
        List<String> command = new ArrayList<>();
        command.add(java);
        command.addAll(jvmArgs);
        String agent = agentArgument();
        if (agent != null) {
            command.add(agent);
        }
        return command;
    }

    private Result exec(List<String> command) throws IOException, InterruptedException {
        Result r = exec(dir, command, timeoutSeconds, inheritIO);
        if (report == null || !Files.exists(report)) {
            return r;
        }
        return new Result(r.exitCode(), r.timedOut(), r.stdout(), r.stderr(), readReport(report), command);
    }

    /**
     * Runs any command, bounded: output to files in {@code dir} read back (to a temporary
     * directory, deleted afterwards, when null), or inherited.
     */
    public static Result exec(Path dir, List<String> command, long timeoutSeconds, boolean inheritIO)
            throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(command);
        Path out = null;
        Path err = null;
        if (dir != null) {
            pb.directory(dir.toFile());
        }
        if (inheritIO) {
            pb.inheritIO();
        } else {
            Path where = dir != null ? dir : Files.createTempDirectory("jlockdep-jvm");
            out = Files.createTempFile(where, "stdout", ".txt");
            err = Files.createTempFile(where, "stderr", ".txt");
            pb.redirectOutput(out.toFile()).redirectError(err.toFile());
        }
        Process p = pb.start();
        boolean ended = p.waitFor(timeoutSeconds, TimeUnit.SECONDS);
        if (!ended) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
        String stdout = out == null ? "" : Files.readString(out, StandardCharsets.UTF_8);
        String stderr = err == null ? "" : Files.readString(err, StandardCharsets.UTF_8);
        if (dir == null && out != null) {
            // the temporary directory was ours: nothing of the run is left behind
            Files.delete(out);
            Files.delete(err);
            Files.delete(out.getParent());
        }
        return new Result(ended ? p.exitValue() : -1, !ended, stdout, stderr, null, List.copyOf(command));
    }

    /** The {@code java} of the JDK this JVM runs on. */
    public static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** A JSON report, parsed. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> readReport(Path file) throws IOException {
        return (Map<String, Object>) JsonReader.parse(Files.readString(file, StandardCharsets.UTF_8));
    }
}
