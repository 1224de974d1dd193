package io.jlockdep.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The README's recipe in a user's own Maven project (src/it/sample-project): a forked {@code mvn}
 * builds it against a local repository holding the artifacts this build just made (staged in
 * target/it-repo, everything else read from the build's own local repository through a file://
 * mirror, so no network is needed). A violation must fail that build; correct tests must pass.
 */
class SampleProjectIT {

    static Path work;
    static Path project;
    static Path settings;

    @BeforeAll
    static void stage() throws IOException {
        Path target = Path.of("target").toAbsolutePath();
        Path root =
                Path.of(System.getProperty("jlockdep.root")).toAbsolutePath().normalize();
        String version = System.getProperty("jlockdep.version");
        work = target.resolve("it");
        Path repo = work.resolve("repo");
        deleteTree(work);
        Files.createDirectories(repo);
        stageArtifact(repo, "jlockdep-parent", version, root.resolve("pom.xml"), null);
        stageArtifact(
                repo,
                "jlockdep-runtime",
                version,
                root.resolve("runtime/pom.xml"),
                Path.of(System.getProperty("jlockdep.runtime.jar")));
        stageArtifact(
                repo,
                "jlockdep-api",
                version,
                root.resolve("api/pom.xml"),
                Path.of(System.getProperty("jlockdep.api.jar")));
        stageArtifact(
                repo,
                "jlockdep-agent",
                version,
                root.resolve("agent/pom.xml"),
                Path.of(System.getProperty("jlockdep.agent.jar")));
        stageArtifact(
                repo,
                "jlockdep-junit5",
                version,
                root.resolve("junit5/pom.xml"),
                Path.of(System.getProperty("jlockdep.junit5.jar")));

        project = work.resolve("sample-project");
        Path source = Path.of("src/it/sample-project").toAbsolutePath();
        try (Stream<Path> files = Files.walk(source)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path to = project.resolve(source.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    String text = Files.readString(f, StandardCharsets.UTF_8)
                            .replace("@jlockdep.version@", version)
                            .replace("@junit.version@", System.getProperty("junit.version"));
                    Files.writeString(to, text, StandardCharsets.UTF_8);
                }
            }
        }
        String mirror =
                Path.of(System.getProperty("maven.local.repository")).toUri().toString();
        settings = work.resolve("settings.xml");
        Files.writeString(
                settings,
                String.join(
                        "\n",
                        "<settings>",
                        "  <localRepository>" + repo + "</localRepository>",
                        "  <mirrors><mirror><id>build-local-repo</id><mirrorOf>*</mirrorOf><url>" + mirror
                                + "</url></mirror></mirrors>",
                        "</settings>",
                        ""));
    }

    /** Puts a built artifact where {@code mvn install} would: the layout of a local repository. */
    private static void stageArtifact(Path repo, String artifactId, String version, Path pom, Path jar)
            throws IOException {
        Path dir = repo.resolve("io/jlockdep/" + artifactId + "/" + version);
        Files.createDirectories(dir);
        Files.copy(pom, dir.resolve(artifactId + "-" + version + ".pom"), StandardCopyOption.REPLACE_EXISTING);
        if (jar != null) {
            assertThat(jar).as("built before the integration tests").isRegularFile();
            Files.copy(jar, dir.resolve(artifactId + "-" + version + ".jar"), StandardCopyOption.REPLACE_EXISTING);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(java.util.Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }

    record Build(int exit, String log) {}

    private static Build mvn(String... args) throws IOException, InterruptedException {
        String mavenHome = System.getProperty("maven.home");
        assertThat(mavenHome).as("maven.home, passed by the pom").isNotBlank();
        List<String> command =
                new ArrayList<>(List.of(Path.of(mavenHome, "bin", "mvn").toString(), "-B", "-s", settings.toString()));
        command.addAll(List.of(args));
        Path log = work.resolve("build-" + System.nanoTime() + ".log");
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(project.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("MAVEN_OPTS");
        Process p = pb.start();
        if (!p.waitFor(5, TimeUnit.MINUTES)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("the sample build did not end within 5 minutes:\n" + Files.readString(log));
        }
        return new Build(p.exitValue(), Files.readString(log));
    }

    @Test
    void aViolationFailsTheUsersBuildAndTheReportIsUnderTarget() throws Exception {
        Build b = mvn("verify");
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
        Build b = mvn("verify", "-Dtest=FrameQueueTest#mapsUnderTheLock+expectsItsViolation");
        assertThat(b.exit()).as(b.log()).isZero();
        assertThat(b.log()).contains("Tests run: 2, Failures: 0", "BUILD SUCCESS");
    }
}
