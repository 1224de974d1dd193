package io.jlockdep.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jlockdep.demo.scenario.Catalogue;
import io.jlockdep.testkit.AgentJvm;
import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * What the integration tests add to the testkit's {@link AgentJvm}: the jar this build just
 * packaged ({@code -javaagent:target/jlockdep-agent.jar}), the class path of the scenario
 * programs, and a failed test (not a result) when a JVM is still running after a minute.
 */
final class ForkedJvm {

    static final long TIMEOUT_SECONDS = AgentJvm.DEFAULT_TIMEOUT_SECONDS;

    private ForkedJvm() {}

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
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator, -1)) {
            String e = entry.replace('\\', '/');
            if (e.endsWith("/test-classes")
                    || e.contains("jlockdep-runtime")
                    || e.contains("jlockdep-testkit")
                    || e.endsWith("testkit/target/classes")
                    || e.endsWith("runtime/target/classes")
                    || (slf4j && (e.contains("/slf4j-api-") || e.contains("/slf4j-simple-")))) {
                keep.add(entry);
            }
        }
        return String.join(File.pathSeparator, keep);
    }

    static String javaExecutable() {
        return AgentJvm.javaExecutable();
    }

    /** The scenario programs under the agent, in {@code dir}, with {@code dir/report.json} as the report. */
    private static AgentJvm scenarioJvm(Path dir, String agentOptions) {
        AgentJvm jvm = AgentJvm.under(agentJar())
                .options(agentOptions)
                .classPath(classPath())
                .in(dir);
        // a report named in the options is the test's own business
        return agentOptions.contains("report=") ? jvm : jvm.report(dir.resolve("report.json"));
    }

    /**
     * Runs the program called {@code scenario} with the agent options ({@code report=} is added):
     * a scenario of the catalogue ({@link Catalogue}, shared with the demo) when it has one of that
     * name, else one of the agent's own programs ({@code io.jlockdep.scenarios.Scenarios}).
     */
    static AgentJvm.Result run(Path dir, String agentOptions, String scenario)
            throws IOException, InterruptedException {
        return ended(scenarioJvm(dir, agentOptions).run(mainOf(scenario), scenario));
    }

    /** The main class that runs {@code scenario}. */
    static String mainOf(String scenario) {
        return Catalogue.get(scenario) != null ? Catalogue.class.getName() : "io.jlockdep.scenarios.Scenarios";
    }

    /**
     * Runs {@code io.jlockdep.scenarios.Adversarial scenario args...} with extra JVM arguments
     * and the agent options ({@code report=} added unless the options name one).
     */
    static AgentJvm.Result adversarial(
            Path dir, List<String> jvmArgs, String agentOptions, String scenario, String... args)
            throws IOException, InterruptedException {
        List<String> all = new ArrayList<>(List.of(scenario));
        all.addAll(List.of(args));
        return ended(scenarioJvm(dir, agentOptions)
                .jvmArgs(jvmArgs)
                .run("io.jlockdep.scenarios.Adversarial", all.toArray(new String[0])));
    }

    /** Runs {@code command} in {@code dir}, bounded. */
    static AgentJvm.Result exec(Path dir, List<String> command) throws IOException, InterruptedException {
        return ended(AgentJvm.exec(dir, command, TIMEOUT_SECONDS, false));
    }

    /** A JVM killed at the timeout fails the test, with what it printed. */
    private static AgentJvm.Result ended(AgentJvm.Result r) {
        assertThat(r.timedOut())
                .as("the JVM did not end within %d s: %s", TIMEOUT_SECONDS, r)
                .isFalse();
        return r;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Object o) {
        return (Map<String, Object>) o;
    }
}
