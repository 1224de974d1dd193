package io.jlockdep.agent.report;

import io.jlockdep.agent.engine.Lockdep;
import io.jlockdep.agent.engine.ViolationSink;
import io.jlockdep.api.Jlockdep;
import io.jlockdep.api.TextReport;
import io.jlockdep.api.Violation;
import java.io.IOException;

/**
 * The agent's sink: each violation is printed as it happens (lockdep's text) and the JSON report,
 * if any, is rewritten; notices are printed once.
 */
public final class AgentSink implements ViolationSink {

    private final LogOutput log;
    private final JsonReport report;
    private volatile Lockdep engine;
    private volatile boolean reportFailed;

    public AgentSink(LogOutput log, JsonReport report) {
        this.log = log;
        this.report = report;
    }

    public void attach(Lockdep lockdep) {
        this.engine = lockdep;
    }

    @Override
    public void onViolation(Violation violation) {
        Jlockdep.record(violation, false);
        String text = TextReport.render(violation);
        log.warn(text);
        if (JdkModules.JFR) {
            ViolationEvent.emit(violation, text);
        }
        writeReport();
    }

    @Override
    public void onRepeat(Violation first) {
        Jlockdep.record(first, true);
    }

    @Override
    public void onNotice(String notice) {
        log.warn("jlockdep: " + notice);
    }

    /** Writes the JSON report now (after a violation, and at JVM exit). */
    public void writeReport() {
        Lockdep e = engine;
        if (report == null || e == null) {
            return;
        }
        try {
            report.write(e);
        } catch (IOException | RuntimeException | OutOfMemoryError ex) {
            if (!reportFailed) {
                reportFailed = true;
                log.alert("jlockdep: cannot write the report " + report.file() + ": " + ex
                        + " (the report file is out of date from now on)");
            }
        }
    }

    /**
     * The first write, at start: a report path that cannot be written is a bad option.
     *
     * @throws IllegalArgumentException naming the path and why
     */
    public void writeFirstReport() {
        Lockdep e = engine;
        if (report == null || e == null) {
            return;
        }
        try {
            report.write(e);
        } catch (IOException | RuntimeException ex) {
            throw new IllegalArgumentException("option 'report': cannot write " + report.file() + ": " + ex);
        }
    }

    /**
     * The last write, at JVM exit. In fail mode a report that could not be written (now or
     * earlier) ends the JVM with status 1: a run whose verdict was lost must not pass.
     */
    public void writeLastReport(boolean failMode) {
        writeReport();
        if (failMode && reportFailed) {
            log.alert("jlockdep: mode=fail and the report " + report.file() + " could not be written: exit status 1");
            Runtime.getRuntime().halt(1);
        }
    }
}
