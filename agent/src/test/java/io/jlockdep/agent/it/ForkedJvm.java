package io.jlockdep.agent.it;

import io.jlockdep.agent.cli.JsonReader;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Runs {@code io.jlockdep.scenarios.Scenarios} in a JVM of its own under
 * {@code -javaagent:target/jlockdep-agent.jar}, the jar this build just packaged, and reads its
 * JSON report. Bounded: a JVM still running after a minute is killed and the test fails.
 */
final class ForkedJvm {

    static final long TIMEOUT_SECONDS = 60;

    /** What the JVM did. */
    record Result(int exitCode, String stdout, String stderr, Map<String, Object> report) {

        @SuppressWarnings("unchecked")
        List<Map<String, Object>> violations() {
            return report == null ? List.of() : (List<Map<String, Object>>) report.get("violations");
        }

        List<String> rules() {
            return violations().stream().map(v -> (String) v.get("rule")).collect(Collectors.toList());
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- stdout\n" + stdout + "\n--- stderr\n" + stderr;
        }
    }

    static Path agentJar() {
        String jar = System.getProperty("jlockdep.agent.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("system property jlockdep.agent.jar must name the packaged agent (got "
                    + jar + "); run the integration tests with mvn verify");
        }
        return Path.of(jar);
    }

    /** The test classes (scenarios) and the runtime; never the agent's own classes or Byte Buddy. */
    static String classPath() {
        return classPath(false);
    }

    /** As {@link #classPath()}, with SLF4J and its simple provider when {@code slf4j}. */
    static String classPath(boolean slf4j) {
        List<String> keep = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String e = entry.replace('\\', '/');
            if (e.endsWith("/test-classes")
                    || e.contains("jlockdep-runtime")
                    || e.endsWith("runtime/target/classes")
                    || slf4j && (e.contains("/slf4j-api-") || e.contains("/slf4j-simple-"))) {
                keep.add(entry);
            }
        }
        return String.join(File.pathSeparator, keep);
    }

    static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Runs {@code Scenarios scenario} with the agent options (report= is added). */
    static Result run(Path dir, String agentOptions, String... scenarios) throws IOException, InterruptedException {
        Path report = dir.resolve("report.json");
        String options = agentOptions.isEmpty() ? "report=" + report : agentOptions + ",report=" + report;
        List<String> command = new ArrayList<>(List.of(
                javaExecutable(),
                "-javaagent:" + agentJar() + "=" + options,
                "-cp",
                classPath(),
                "io.jlockdep.scenarios.Scenarios"));
        command.addAll(List.of(scenarios));
        Result r = exec(dir, command);
        Map<String, Object> json = null;
        if (Files.exists(report)) {
            json = asMap(JsonReader.parse(Files.readString(report, StandardCharsets.UTF_8)));
        }
        return new Result(r.exitCode, r.stdout, r.stderr, json);
    }

    /**
     * Runs {@code io.jlockdep.scenarios.Adversarial scenario args...} with extra JVM arguments
     * and the agent options ({@code report=} added unless the options name one).
     */
    static Result adversarial(Path dir, List<String> jvmArgs, String agentOptions, String scenario, String... args)
            throws IOException, InterruptedException {
        Path report = dir.resolve("report.json");
        String options = agentOptions.contains("report=")
                ? agentOptions
                : agentOptions.isEmpty() ? "report=" + report : agentOptions + ",report=" + report;
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(jvmArgs);
        command.addAll(List.of(
                "-javaagent:" + agentJar() + "=" + options,
                "-cp",
                classPath(),
                "io.jlockdep.scenarios.Adversarial",
                scenario));
        command.addAll(List.of(args));
        Result r = exec(dir, command);
        Map<String, Object> json = null;
        if (Files.exists(report)) {
            json = asMap(JsonReader.parse(Files.readString(report, StandardCharsets.UTF_8)));
        }
        return new Result(r.exitCode, r.stdout, r.stderr, json);
    }

    /** Runs {@code command} in {@code dir}, bounded. */
    static Result exec(Path dir, List<String> command) throws IOException, InterruptedException {
        Path out = dir.resolve("stdout.txt");
        Path err = dir.resolve("stderr.txt");
        Process p = new ProcessBuilder(command)
                .directory(dir.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("the JVM did not end within " + TIMEOUT_SECONDS + " s: " + command
                    + "\n--- stderr\n" + Files.readString(err));
        }
        return new Result(p.exitValue(), Files.readString(out), Files.readString(err), null);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object o) {
        return (Map<String, Object>) o;
    }
}
