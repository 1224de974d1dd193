package io.jlockdep.maven;

import static org.assertj.core.api.Assertions.assertThat;

import io.jlockdep.testkit.MavenSandbox;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The plugin in users' builds: the sample projects of src/it built by a forked {@code mvn} in a
 * {@link MavenSandbox} that holds the artifacts this build made.
 */
class PluginIT {

    static MavenSandbox sandbox;
    static Map<String, String> replacements;

    @BeforeAll
    static void stage() throws IOException {
        String version = System.getProperty("jlockdep.version");
        sandbox = MavenSandbox.forThisBuild(Path.of("target/it"))
                .installModules("api", "bootstrap", "cli", "agent", "maven-plugin");
        replacements = Map.of(
                "@jlockdep.version@", version,
                "@junit.version@", System.getProperty("junit.version"),
                "@jacoco.version@", System.getProperty("jacoco.version"));
    }

    private static Path project(String name) throws IOException {
        return sandbox.copyProject(Path.of("src/it", name).toAbsolutePath(), replacements);
    }

    private static List<Path> reports(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.list(dir)) {
            return files.filter(f -> f.getFileName().toString().matches("jlockdep-\\d+\\.json"))
                    .toList();
        }
    }

    /** The plugin's own console lines ("[ERROR] jlockdep: ..." and what follows), not the forks' output. */
    private static String verdict(MavenSandbox.Build b) {
        int check = b.log().lastIndexOf(":check (default) @");
        int aggregate = b.log().lastIndexOf(":report-aggregate (default) @");
        int from = Math.max(check, aggregate);
        return from < 0 ? "" : b.log().substring(from);
    }

    @Test
    void anAbbaInOneTestJvmIsTheJvmsOwnViolationAndFailsTheBuild() throws Exception {
        Path p = project("abba");
        MavenSandbox.Build b = sandbox.mvn(p, "verify");
        assertThat(b.exit()).as(b.log()).isNotZero();
        assertThat(verdict(b))
                .contains(
                        "jlockdep: 1 test JVM report(s)",
                        "1 violation(s), 0 circular dependencies across JVMs",
                        "[lockdep/circular-dependency] possible circular locking dependency detected",
                        "at sample.Accounts.",
                        "more frame(s) of the test framework, the build tool and reflection",
                        "target/jlockdep/jlockdep.html")
                .doesNotContain("at org.junit.", "at org.apache.maven.surefire.");
        assertThat(b.log()).contains("BUILD FAILURE", "jlockdep: 1 violation(s) and 0 circular dependencies");
        assertThat(p.resolve("target/jlockdep/jlockdep.html")).isRegularFile();
        assertThat(Files.readString(p.resolve("target/jlockdep/jlockdep.json")))
                .contains("\"merged\":true", "\"rule\":\"lockdep/circular-dependency\"");
    }

    @Test
    void anArgLineGivenOnTheCommandLineIsNamedAsWhyTheAgentDidNotRun() throws Exception {
        // -DargLine=... wins over the project's property wherever a plugin reads ${argLine} (here
        // Surefire, which has no <argLine> of its own): never a silent pass
        Path p = project("abba");
        MavenSandbox.Build b = sandbox.mvn(p, "verify", "-DargLine=-Dsample.extra=1");
        assertThat(b.log())
                .contains(
                        "argLine is also given on the command line (-DargLine)",
                        "Give them <argLine>@{argLine}</argLine>",
                        "no report of a test JVM in");
    }

    @Test
    void theSameAbbaSplitAcrossForksIsFoundByCheckAndEarlierReportsAreNotMixedIn() throws Exception {
        Path p = project("abba");
        MavenSandbox.Build one = sandbox.mvn(p, "verify");
        assertThat(reports(p.resolve("target/jlockdep/test"))).hasSize(1);
        MavenSandbox.Build b = sandbox.mvn(p, "verify", "-DforkCount=2", "-DreuseForks=false");
        assertThat(b.exit()).as(b.log()).isNotZero();
        assertThat(reports(p.resolve("target/jlockdep/test")))
                .as("the first build's report was removed at prepare-agent: " + one.exit())
                .hasSize(2);
        assertThat(verdict(b))
                .contains(
                        "jlockdep: 2 test JVM report(s)",
                        "0 violation(s), 1 circular dependency across JVMs",
                        "possible circular locking dependency across JVMs",
                        "at sample.Accounts.transfer",
                        "at sample.Accounts.review")
                .doesNotContain("at org.junit.");
    }

    @Test
    void correctCodeWithJacocoAndFailsafePassesAndBothRunsAreJudged() throws Exception {
        Path p = project("clean");
        MavenSandbox.Build b = sandbox.mvn(p, "verify");
        assertThat(b.exit()).as(b.log()).isZero();
        assertThat(b.log())
                .contains(
                        "jlockdep: 2 test JVM report(s)",
                        "0 violation(s), 0 circular dependencies across JVMs",
                        "Tests run: 1, Failures: 0",
                        "BUILD SUCCESS");
        assertThat(reports(p.resolve("target/jlockdep/test")))
                .as("Surefire's JVM")
                .hasSize(1);
        assertThat(reports(p.resolve("target/jlockdep/it")))
                .as("Failsafe's JVM")
                .hasSize(1);
        assertThat(p.resolve("target/jacoco.exec"))
                .as("JaCoCo's agent ran beside jlockdep's")
                .isNotEmptyFile();
        assertThat(b.log()).containsPattern("jlockdep: argLine set to -javaagent:\\S*org.jacoco.agent\\S* -javaagent:");

        // JaCoCo's prepare-agent after jlockdep's: it puts its agent first, jlockdep's stays
        Files.delete(p.resolve("target/jacoco.exec"));
        MavenSandbox.Build after = sandbox.mvn(p, "verify", "-Djacoco.phase=generate-sources");
        assertThat(after.exit()).as(after.log()).isZero();
        assertThat(after.log())
                .containsPattern("argLine set to -javaagent:\\S*org.jacoco.agent\\S* -javaagent:\\S*jlockdep-agent")
                .contains("jlockdep: 2 test JVM report(s)", "0 violation(s), 0 circular dependencies across JVMs");
        assertThat(p.resolve("target/jacoco.exec")).isNotEmptyFile();

        // a run directory an earlier build left and this build did not prepare is not judged: only
        // Surefire's run is prepared by "test", and check sees its one report, not Failsafe's old one
        assertThat(reports(p.resolve("target/jlockdep/it")))
                .as("left by the build before")
                .hasSize(1);
        MavenSandbox.Build unitOnly = sandbox.mvn(
                p, "test", "io.jlockdep:jlockdep-maven-plugin:" + System.getProperty("jlockdep.version") + ":check");
        assertThat(unitOnly.exit()).as(unitOnly.log()).isZero();
        assertThat(unitOnly.log()).contains("jlockdep: 1 test JVM report(s)").doesNotContain("the agent did not reach");
    }

    @Test
    void theGoalsWorkTheSameOnJUnit6() throws Exception {
        Map<String, String> onJUnit6 = new java.util.HashMap<>(replacements);
        onJUnit6.put("@junit.version@", System.getProperty("junit6.version"));
        Path p = sandbox.copyProject(Path.of("src/it/abba").toAbsolutePath(), "abba-junit6", onJUnit6);
        MavenSandbox.Build b = sandbox.mvn(p, "verify", "-DforkCount=2", "-DreuseForks=false");
        assertThat(b.exit()).as(b.log()).isNotZero();
        assertThat(b.log()).contains("Tests run: 1, Failures: 0").doesNotContain("failed to discover tests");
        assertThat(verdict(b)).contains("jlockdep: 2 test JVM report(s)", "1 circular dependency across JVMs");
    }

    @Test
    void skipLeavesTheTestsWithoutTheAgentAndBadOptionsStopTheBuildAtOnce() throws Exception {
        Path p = project("clean");
        MavenSandbox.Build skipped = sandbox.mvn(p, "verify", "-Djlockdep.skip");
        assertThat(skipped.exit()).as(skipped.log()).isZero();
        assertThat(skipped.log()).contains("jlockdep: skipped; the test JVMs run without the agent");
        assertThat(reports(p.resolve("target/jlockdep/test"))).isEmpty();

        // a Failsafe <argLine> without @{argLine}: the unit tests are judged, the silent run is named
        MavenSandbox.Build forgotten = sandbox.mvn(p, "verify", "-Dfailsafe.argLine=-Xmx256m");
        assertThat(forgotten.exit()).as(forgotten.log()).isZero();
        assertThat(forgotten.log())
                .contains("jlockdep: 1 test JVM report(s)")
                .containsPattern("no test JVM wrote a report into \\S*target/jlockdep/it: the agent did not reach");

        MavenSandbox.Build noTests = sandbox.mvn(p, "verify", "-DskipTests");
        assertThat(noTests.exit()).as(noTests.log()).isZero();
        assertThat(noTests.log())
                .contains("no report of a test JVM in", "and none expected")
                .doesNotContain("did the tests run");

        MavenSandbox.Build bad = sandbox.mvn(p, "verify", "-Djlockdep.mode=loud");
        assertThat(bad.exit()).isNotZero();
        assertThat(bad.log())
                .contains("jlockdep: bad configuration: mode is 'loud': expected one of fail, warn")
                .doesNotContain("Tests run:");
    }

    @Test
    void aCycleSpanningTwoModulesIsFoundByReportAggregateOnly() throws Exception {
        Path p = project("reactor");
        MavenSandbox.Build b = sandbox.mvn(p, "verify");
        assertThat(b.exit()).as(b.log()).isNotZero();
        String log = b.log();
        assertThat(log.split("0 violation\\(s\\), 0 circular dependencies across JVMs", -1))
                .as("each module's own check passes")
                .hasSize(3);
        assertThat(verdict(b))
                .contains(
                        "jlockdep: 2 test JVM report(s)",
                        "1 circular dependency across JVMs",
                        "at sample.a.Locks.firstThenSecond",
                        "at sample.b.Reverse.secondThenFirst",
                        "target/jlockdep-aggregate/jlockdep.html");
        assertThat(p.resolve("target/jlockdep-aggregate/jlockdep.json")).isRegularFile();
    }
}
