package io.jlockdep.maven;

import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.execution.MavenSession;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * {@code jlockdep:report-aggregate}: the reactor's verdict. Declared once in the parent pom (so
 * every module inherits it), it waits for the last module of the build, then merges the reports
 * of every module's test JVMs: a cycle whose dependencies come from different modules' tests is
 * found here and nowhere else. The summary goes to the top-level project's
 * {@code target/jlockdep-aggregate/}.
 */
@Mojo(name = "report-aggregate", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true)
public class ReportAggregateMojo extends AbstractVerdictMojo {

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    @Parameter(defaultValue = "${session}", readonly = true, required = true)
    MavenSession session;

    /** The directory, under each module's build directory, where its reports are ({@code prepare-agent}'s {@code reportDirectory}). */
    @Parameter(property = "jlockdep.reportDirectoryName", defaultValue = "jlockdep")
    String reportDirectoryName;

    /** Where the aggregate summary is written. */
    @Parameter(
            property = "jlockdep.aggregateDirectory",
            defaultValue = "${session.topLevelProject.build.directory}/jlockdep-aggregate")
    File aggregateDirectory;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("jlockdep: report-aggregate skipped");
            return;
        }
        List<MavenProject> projects = session.getProjects();
        if (!projects.isEmpty() && projects.get(projects.size() - 1) != project) {
            getLog().debug("jlockdep: report-aggregate runs after the last module of the build");
            return;
        }
        List<Path> reports = new ArrayList<>();
        try {
            for (MavenProject p : projects) {
                reports.addAll(Reports.find(Reports.runsPreparedSince(
                        new File(p.getBuild().getDirectory(), reportDirectoryName).toPath(),
                        session.getRequest().getStartTime().getTime())));
            }
        } catch (IOException e) {
            throw new MojoExecutionException("jlockdep: cannot list the modules' reports: " + e, e);
        }
        judge(reports, aggregateDirectory.toPath(), "the " + projects.size() + " module(s) of this build", true);
    }
}
