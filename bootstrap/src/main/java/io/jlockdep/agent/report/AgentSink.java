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
        if (jfr) {
            try {
                privileged(() -> ViolationEvent.emit(violation, text));
            } catch (SecurityException | LinkageError e) {
                jfr = false; // once: a JFR event class that failed to initialise never will
                Lockdep eng = engine;
                if (eng != null) {
                    eng.addNotice("cannot record violations as Flight Recorder events (" + e
                            + "); grant the agent's jar jdk.jfr.FlightRecorderPermission \"registerEvent\"");
                }
            }
        }
        writeReport();
    }

    /** Whether violations go to JFR: the module is there, and registering the event worked so far. */
    private volatile boolean jfr = JdkModules.JFR;

    /**
     * Runs {@code action} with the agent's own permissions: a violation is sent from the
     * application's thread, whose frames a SecurityManager's policy may grant less (no
     * FlightRecorderPermission, no permission to write the report); the agent's actions must not
     * fail for that, nor throw into the application.
     */
    @SuppressWarnings("removal") // AccessController: the SecurityManager's API, still there on JDK 17 to 25
    private static void privileged(Runnable action) {
        java.security.AccessController.doPrivileged((java.security.PrivilegedAction<Void>) () -> {
            action.run();
            return null;
        });
    }

    @Override
    public void onRepeat(Violation first) {
        Jlockdep.record(first, true);
    }

    @Override
    public void onNotice(String notice) {
        log.warn("jlockdep: " + notice);
    }

    /** Writes the JSON report now (after a violation, and at JVM exit), with the agent's permissions. */
    public void writeReport() {
        privileged(this::writeReportNow);
    }

    private void writeReportNow() {
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
