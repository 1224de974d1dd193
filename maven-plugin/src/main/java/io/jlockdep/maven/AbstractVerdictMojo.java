package io.jlockdep.maven;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

/** What {@code check} and {@code report-aggregate} share: read, merge, write the summary, judge. */
abstract class AbstractVerdictMojo extends AbstractMojo {

    /** Skips the verdict. */
    @Parameter(property = "jlockdep.skip", defaultValue = "false")
    boolean skip;

    /**
     * Fails the build when a test JVM reported a violation or the merged graph has a cycle no
     * single JVM saw. {@code false}: the summary is written and printed, and the build goes on.
     */
    @Parameter(property = "jlockdep.failOnViolation", defaultValue = "true")
    boolean failOnViolation;

    /**
     * Reads {@code reports}, writes the summary into {@code output}, prints it, fails the build if
     * it must. No report at all is a warning where tests were expected (the agent did not reach
     * them), a line of information where not (a {@code pom} module).
     */
    void judge(List<Path> reports, Path output, String where, boolean testsExpected)
            throws MojoExecutionException, MojoFailureException {
        if (reports.isEmpty() && !testsExpected) {
            getLog().info("jlockdep: no report of a test JVM in " + where + ", and none expected");
            return;
        }
        if (reports.isEmpty()) {
            getLog().warn("jlockdep: no report of a test JVM in " + where + ": did the tests run, and does a"
                    + " Surefire or Failsafe <argLine> of this build include @{argLine}?");
            return;
        }
        Reports verdict = new Reports();
        try {
            verdict.addAll(reports);
            verdict.writeSummary(output);
        } catch (IllegalArgumentException | IOException e) {
            throw new MojoExecutionException(
                    "jlockdep: cannot judge the reports in " + where + ": " + e.getMessage(), e);
        }
        List<String> lines = verdict.consoleLines(output);
        for (String line : lines) {
            if (verdict.clean()) {
                getLog().info(line);
            } else {
                getLog().error(line);
            }
        }
        if (!verdict.clean() && failOnViolation) {
            throw new MojoFailureException("jlockdep: " + verdict.violationCount() + " violation(s) and "
                    + verdict.crossJvmCycleCount() + " circular dependenc"
                    + (verdict.crossJvmCycleCount() == 1 ? "y" : "ies") + " across test JVMs; see "
                    + output.resolve(Reports.SUMMARY_HTML));
        }
    }
}
