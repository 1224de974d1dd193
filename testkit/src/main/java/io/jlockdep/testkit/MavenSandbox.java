package io.jlockdep.testkit;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A user's Maven build, run by a test: a forked {@code mvn} on a copy of a sample project, with a
 * local repository of its own that holds the artifacts this build just made (staged as
 * {@code mvn install} would lay them out) and reads everything else from the build's own local
 * repository through a {@code file://} mirror, so no network is needed.
 *
 * <pre>{@code
 * MavenSandbox box = MavenSandbox.create(target.resolve("it"), localRepository, mavenHome);
 * box.install("jlockdep-agent", version, agentPom, agentJar);
 * Path project = box.copyProject(source, Map.of("@jlockdep.version@", version));
 * MavenSandbox.Build b = box.mvn(project, "verify");
 * }</pre>
 */
public final class MavenSandbox {

    /** How long one sample build may take before it is killed and the test fails. */
    public static final long TIMEOUT_MINUTES = 5;

    private final Path work;
    private final Path repository;
    private final Path settings;
    private final Path mavenHome;

    /** A finished build: its exit status and its whole console output. */
    public record Build(int exit, String log) {}

    private MavenSandbox(Path work, Path repository, Path settings, Path mavenHome) {
        this.work = work;
        this.repository = repository;
        this.settings = settings;
        this.mavenHome = mavenHome;
    }

    /**
     * An empty sandbox in {@code work} (deleted first), mirroring {@code localRepository} (the
     * running build's, {@code settings.localRepository}); {@code mavenHome} is the Maven to run.
     */
    public static MavenSandbox create(Path work, Path localRepository, Path mavenHome) throws IOException {
        deleteTree(work);
        Path repo = work.resolve("repo");
        Files.createDirectories(repo);
        Path settings = work.resolve("settings.xml");
        Files.writeString(
                settings,
                String.join(
                        "\n",
                        "<settings>",
                        "  <localRepository>" + repo + "</localRepository>",
                        "  <mirrors><mirror><id>build-local-repo</id><mirrorOf>*</mirrorOf><url>"
                                + localRepository.toUri() + "</url></mirror></mirrors>",
                        "</settings>",
                        ""),
                StandardCharsets.UTF_8);
        return new MavenSandbox(work, repo, settings, mavenHome);
    }

    /**
     * An empty sandbox in {@code work} for a test run by Failsafe: the build's local repository
     * and Maven home come from the system properties {@code maven.local.repository} and
     * {@code maven.home}, which the pom passes ({@code settings.localRepository}, {@code maven.home}).
     */
    public static MavenSandbox forThisBuild(Path work) throws IOException {
        return create(
                work.toAbsolutePath(), Path.of(property("maven.local.repository")), Path.of(property("maven.home")));
    }

    /**
     * Puts this reactor's parent pom and {@code modules} (directory names: {@code api},
     * {@code maven-plugin}, ...) where {@code mvn install} would, as {@code jlockdep-<module>}: the
     * pom from the module's directory under {@code jlockdep.root}, the jar the system property
     * {@code jlockdep.<module>.jar} names, in version {@code jlockdep.version} (all passed by the
     * pom's failsafe configuration).
     */
    public MavenSandbox installModules(String... modules) throws IOException {
        Path root = Path.of(property("jlockdep.root")).toAbsolutePath().normalize();
        String version = property("jlockdep.version");
        install("jlockdep-parent", version, root.resolve("pom.xml"), null);
        for (String module : modules) {
            install(
                    "jlockdep-" + module,
                    version,
                    root.resolve(module).resolve("pom.xml"),
                    Path.of(property("jlockdep." + module + ".jar")));
        }
        return this;
    }

    private static String property(String name) {
        String value = System.getProperty(name);
        if (value == null) {
            throw new IllegalStateException(name + " must be passed by the pom's failsafe configuration");
        }
        return value;
    }

    /** Puts an artifact of group {@code io.jlockdep} where {@code mvn install} would; {@code jar} may be null (a pom). */
    public MavenSandbox install(String artifactId, String version, Path pom, Path jar) throws IOException {
        Path dir = repository.resolve("io/jlockdep/" + artifactId + "/" + version);
        Files.createDirectories(dir);
        Files.copy(pom, dir.resolve(artifactId + "-" + version + ".pom"), StandardCopyOption.REPLACE_EXISTING);
        if (jar != null) {
            if (!Files.isRegularFile(jar)) {
                throw new IllegalStateException(
                        jar + " is not built: the reactor builds it before the integration tests");
            }
            Files.copy(jar, dir.resolve(artifactId + "-" + version + ".jar"), StandardCopyOption.REPLACE_EXISTING);
        }
        return this;
    }

    /**
     * Copies the project in {@code source} into the sandbox (under its directory name), replacing
     * each key of {@code replacements} by its value in every file; returns the copy.
     */
    public Path copyProject(Path source, Map<String, String> replacements) throws IOException {
        return copyProject(source, source.getFileName().toString(), replacements);
    }

    /** As {@link #copyProject(Path, Map)}, into a directory called {@code name}: one sample built two ways. */
    public Path copyProject(Path source, String name, Map<String, String> replacements) throws IOException {
        Path project = work.resolve(name);
        deleteTree(project);
        try (Stream<Path> files = Files.walk(source)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                Path to = project.resolve(source.relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    String text = Files.readString(f, StandardCharsets.UTF_8);
                    for (Map.Entry<String, String> r : replacements.entrySet()) {
                        text = text.replace(r.getKey(), r.getValue());
                    }
                    Files.writeString(to, text, StandardCharsets.UTF_8);
                }
            }
        }
        return project;
    }

    /** Runs {@code mvn -B args} in {@code project} on this JVM's Java, with the sandbox's settings. */
    public Build mvn(Path project, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(
                List.of(mavenHome.resolve("bin").resolve("mvn").toString(), "-B", "-s", settings.toString()));
        command.addAll(List.of(args));
        Path log = work.resolve("build-" + System.nanoTime() + ".log");
        ProcessBuilder pb = new ProcessBuilder(command)
                .directory(project.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile());
        pb.environment().put("JAVA_HOME", System.getProperty("java.home"));
        pb.environment().remove("MAVEN_OPTS");
        pb.environment().remove("MAVEN_ARGS");
        Process p = pb.start();
        if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError(
                    "the sample build did not end within " + TIMEOUT_MINUTES + " minutes:\n" + Files.readString(log));
        }
        return new Build(p.exitValue(), Files.readString(log));
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> files = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) files.sorted(Comparator.reverseOrder())::iterator) {
                Files.delete(p);
            }
        }
    }
}
