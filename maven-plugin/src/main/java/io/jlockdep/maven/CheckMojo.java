package io.jlockdep.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * {@code jlockdep:check}: the module's verdict. Merges the reports this build's test JVMs wrote
 * (Surefire's and Failsafe's, every fork), finds the cycles no single JVM saw, writes
 * {@code target/jlockdep/jlockdep.html} and {@code jlockdep.json}, prints a short summary and
 * fails the build when there is a violation or a cross-JVM cycle.
 */
@Mojo(name = "check", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class CheckMojo extends AbstractVerdictMojo {

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    /** Where {@code prepare-agent} had the reports written; the summary is written here too. */
    @Parameter(property = "jlockdep.reportDirectory", defaultValue = "${project.build.directory}/jlockdep")
    File reportDirectory;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    MavenSession session;

    /** Whether test JVMs were to run here: not in a {@code pom} module, not with {@code skipTests} or {@code maven.test.skip}. */
    private boolean testsExpected() {
        if ("pom".equals(project.getPackaging())) {
            return false;
        }
        for (String skip : new String[] {"skipTests", "maven.test.skip", "skipITs"}) {
            String v = session.getUserProperties()
                    .getProperty(skip, project.getProperties().getProperty(skip));
            if (v != null && (v.isEmpty() || Boolean.parseBoolean(v))) {
                return false;
            }
        }
        return true;
    }

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("jlockdep: check skipped");
            return;
        }
        try {
            List<Path> runs = Reports.runsPreparedSince(
                    reportDirectory.toPath(),
                    session.getRequest().getStartTime().getTime());
            List<Path> reports = Reports.find(runs);
            boolean expected = testsExpected();
            if (expected && !reports.isEmpty()) {
                // one run judged, another prepared but silent: its JVMs ran without the agent
                for (Path run : Reports.withoutReport(runs)) {
                    getLog().warn("jlockdep: no test JVM wrote a report into " + run + ": the agent did not reach"
                            + " that run's tests; does its Surefire or Failsafe <argLine> include @{argLine}?");
                }
            }
            judge(reports, reportDirectory.toPath(), reportDirectory.toString(), expected);
        } catch (IOException e) {
            throw new MojoExecutionException("jlockdep: cannot list " + reportDirectory + ": " + e, e);
        }
    }
}
