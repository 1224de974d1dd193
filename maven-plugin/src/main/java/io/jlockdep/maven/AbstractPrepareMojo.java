package io.jlockdep.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.maven.artifact.Artifact;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * What {@code prepare-agent} and {@code prepare-agent-integration} share: the agent jar from the
 * plugin's own dependencies, the options, a report directory of this run emptied of an earlier
 * build's reports, and the property ({@code argLine}) Surefire and Failsafe read.
 */
abstract class AbstractPrepareMojo extends AbstractMojo {

    /** The agent's coordinates among the plugin's artifacts. */
    static final String AGENT = "io.jlockdep:jlockdep-agent";

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    MavenSession session;

    /** The plugin's own artifacts: the agent is one of them, in the plugin's version. */
    @Parameter(property = "plugin.artifactMap", readonly = true, required = true)
    Map<String, Artifact> pluginArtifactMap;

    /** Leaves the test JVMs without the agent (the property is still set, empty if it was not set). */
    @Parameter(property = "jlockdep.skip", defaultValue = "false")
    boolean skip;

    /**
     * The property the agent argument is appended to. {@code argLine} is what Surefire and
     * Failsafe read; a plugin configuration that sets its own {@code <argLine>} must include
     * {@code @{argLine}}.
     */
    @Parameter(property = "jlockdep.propertyName", defaultValue = "argLine")
    String propertyName;

    /**
     * Where the test JVMs write their reports (one {@code jlockdep-<pid>.json} each), in a
     * subdirectory per goal: {@code test/} and {@code it/}. {@code check} reads them from here.
     */
    @Parameter(property = "jlockdep.reportDirectory", defaultValue = "${project.build.directory}/jlockdep")
    File reportDirectory;

    /** {@code warn} (report and go on) or {@code fail} (throw {@code LockdepViolationError} at the violating call). */
    @Parameter(property = "jlockdep.mode")
    String mode;

    /** More locking specifications ({@code .lockspec} files), on top of the built-in dma-buf one. */
    @Parameter
    List<File> specs;

    /** Suppression files: violations judged and accepted are counted, not printed. */
    @Parameter
    List<File> suppressions;

    /** Where reports are printed: {@code auto}, {@code slf4j}, {@code stderr} or {@code off}. */
    @Parameter(property = "jlockdep.log")
    String log;

    /** The deadlock watchdog's interval in milliseconds, or {@code off}. */
    @Parameter(property = "jlockdep.watchdog")
    String watchdog;

    /** {@code on}: the {@code io.jlockdep:type=Lockdep} MBean (held-locks dump). */
    @Parameter(property = "jlockdep.jmx")
    String jmx;

    /** {@code off}: report cycles even when one common outer lock serialises them. */
    @Parameter(property = "jlockdep.gates")
    String gates;

    /** {@code off}: the lock contracts written in annotations ({@code @GuardedBy}...) are not checked. */
    @Parameter(property = "jlockdep.guards")
    String guards;

    /** {@code off}: one-permit Semaphores are not tracked as mutexes. */
    @Parameter(property = "jlockdep.semaphores")
    String semaphores;

    /** {@code report}: two nested instances of one lock class are reported at once (the kernel's verdict). */
    @Parameter(property = "jlockdep.sameClass")
    String sameClass;

    /** Lock wrapper classes: a lock made inside one belongs to where the wrapper is made. */
    @Parameter
    List<String> wrappers;

    /** The subdirectory of {@link #reportDirectory} this goal's JVMs write to. */
    abstract String runDirectoryName();

    @Override
    public void execute() throws MojoExecutionException {
        Properties properties = project.getProperties();
        String previous = effectiveValue(propertyName);
        if (skip) {
            getLog().info("jlockdep: skipped; the test JVMs run without the agent");
            if (previous == null) {
                properties.setProperty(propertyName, ""); // so that @{argLine} still resolves
            }
            return;
        }
        File agentJar = agentJar();
        File runDirectory = new File(reportDirectory, runDirectoryName());
        AgentArgument argument;
        try {
            argument = new AgentArgument(runDirectory)
                    .mode(mode)
                    .log(log)
                    .watchdog(watchdog)
                    .jmx(jmx)
                    .gates(gates)
                    .guards(guards)
                    .semaphores(semaphores)
                    .sameClass(sameClass)
                    .specs(specs)
                    .suppressions(suppressions)
                    .wrappers(wrappers);
        } catch (IllegalArgumentException e) {
            throw new MojoExecutionException("jlockdep: bad configuration: " + e.getMessage(), e);
        }
        removeEarlierReports(runDirectory.toPath());
        String value = argument.appendTo(previous, agentJar);
        properties.setProperty(propertyName, value);
        getLog().info("jlockdep: " + propertyName + " set to " + value);
        if (session.getUserProperties().getProperty(propertyName) != null) {
            // Maven resolves a plugin's ${argLine} from the command line's -D first: a project
            // property set here cannot win there (JaCoCo's prepare-agent has the same limit)
            getLog().warn("jlockdep: " + propertyName + " is also given on the command line (-D" + propertyName
                    + "); a Surefire or Failsafe without an <argLine> of its own gets that value, without the"
                    + " agent. Give them <argLine>@{" + propertyName + "}</argLine>, or pass the JVM options"
                    + " another way.");
        }
    }

    /** The property's value as Maven sees it: a -D on the command line wins over the pom's. */
    private String effectiveValue(String name) {
        String user = session.getUserProperties().getProperty(name);
        return user != null ? user : project.getProperties().getProperty(name);
    }

    private File agentJar() throws MojoExecutionException {
        Artifact agent = pluginArtifactMap.get(AGENT);
        if (agent == null || agent.getFile() == null || !agent.getFile().isFile()) {
            throw new MojoExecutionException("jlockdep: the plugin's dependency " + AGENT
                    + " was not resolved; the plugin's installation is incomplete");
        }
        return agent.getFile();
    }

    /**
     * Deletes the reports an earlier build left in this run's directory, so that {@code check}
     * never judges them with this build's.
     */
    private void removeEarlierReports(Path dir) throws MojoExecutionException {
        try {
            Files.createDirectories(dir);
            int removed = 0;
            try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
                for (Path f : files) {
                    if (Reports.isAgentReport(f) || Reports.isAgentTemporary(f)) {
                        Files.delete(f);
                        removed++;
                    }
                }
            }
            if (removed > 0) {
                getLog().debug("jlockdep: removed " + removed + " report(s) of an earlier build from " + dir);
            }
            Files.writeString(dir.resolve(Reports.PREPARED), propertyName + "\n"); // check: a JVM was due here
        } catch (IOException e) {
            throw new MojoExecutionException("jlockdep: cannot prepare the report directory " + dir + ": " + e, e);
        }
    }
}
