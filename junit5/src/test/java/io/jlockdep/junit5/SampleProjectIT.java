package io.jlockdep.junit5;

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
 * The README's manual recipe (the agent as a test dependency, Surefire's argLine) in a user's own
 * Maven project (src/it/sample-project), built by a forked {@code mvn} in a {@link MavenSandbox}.
 * A violation must fail that build; correct tests must pass.
 */
class SampleProjectIT {

    static MavenSandbox sandbox;
    static Path project;

    @BeforeAll
    static void stage() throws IOException {
        String version = System.getProperty("jlockdep.version");
        sandbox = MavenSandbox.forThisBuild(Path.of("target/it")).installModules("runtime", "api", "agent", "junit5");
        project = sandbox.copyProject(
                Path.of("src/it/sample-project").toAbsolutePath(),
                Map.of("@jlockdep.version@", version, "@junit.version@", System.getProperty("junit.version")));
    }

    /** The same sample on JUnit 6 (jlockdep-junit5 leaves the JUnit version to the user's build). */
    @Test
    void theSameRecipeWorksOnJUnit6() throws Exception {
        Path onJUnit6 = sandbox.copyProject(
                Path.of("src/it/sample-project").toAbsolutePath(),
                "sample-project-junit6",
                Map.of(
                        "@jlockdep.version@",
                        System.getProperty("jlockdep.version"),
                        "@junit.version@",
                        System.getProperty("junit6.version")));
        MavenSandbox.Build b = sandbox.mvn(onJUnit6, "verify");
        assertThat(b.exit()).as(b.log()).isNotZero();
        assertThat(b.log())
                .contains("Tests run: 3, Failures: 1", "FrameQueueTest.mapsWithoutTheLock", "dma-buf/importer-locked")
                .doesNotContain("failed to discover tests");
        MavenSandbox.Build green =
                sandbox.mvn(onJUnit6, "verify", "-Dtest=FrameQueueTest#mapsUnderTheLock+expectsItsViolation");
        assertThat(green.exit()).as(green.log()).isZero();
        assertThat(green.log()).contains("Tests run: 2, Failures: 0", "BUILD SUCCESS");
    }

    private static MavenSandbox.Build mvn(String... args) throws IOException, InterruptedException {
        return sandbox.mvn(project, args);
    }

    @Test
    void aViolationFailsTheUsersBuildAndTheReportIsUnderTarget() throws Exception {
        MavenSandbox.Build b = mvn("verify");
        assertThat(b.exit()).as(b.log()).isNotZero();
        assertThat(b.log())
                .contains(
                        "Tests run: 3, Failures: 1",
                        "FrameQueueTest.mapsWithoutTheLock",
                        "dma-buf/importer-locked",
                        "BUILD FAILURE");
        Path reports = project.resolve("target/jlockdep");
        try (Stream<Path> files = Files.list(reports)) {
            List<Path> json = files.filter(f -> f.getFileName().toString().matches("jlockdep-\\d+\\.json"))
                    .toList();
            assertThat(json).hasSize(1);
            assertThat(Files.readString(json.get(0)))
                    .contains("\"rule\":\"dma-buf/importer-locked\"", "\"mode\":\"fail\"");
        }
    }

    @Test
    void correctTestsAndAnExpectedViolationKeepItGreen() throws Exception {
        MavenSandbox.Build b = mvn("verify", "-Dtest=FrameQueueTest#mapsUnderTheLock+expectsItsViolation");
        assertThat(b.exit()).as(b.log()).isZero();
        assertThat(b.log()).contains("Tests run: 2, Failures: 0", "BUILD SUCCESS");
    }
}
