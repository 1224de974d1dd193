package io.jlockdep.agent.report;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/**
 * A violation as a Java Flight Recorder event, {@code io.jlockdep.Violation}: visible with
 * {@code jfr print --events io.jlockdep.Violation recording.jfr} and in JDK Mission Control,
 * next to the JVM's own lock events. The event's own stack trace is the violating call's.
 */
@Name("io.jlockdep.Violation")
@Label("Locking Violation")
@Category({"jlockdep"})
@Description("A violation of a locking rule found by jlockdep")
@StackTrace(true)
final class ViolationEvent extends jdk.jfr.Event {

    @Label("Rule")
    String rule;

    @Label("Message")
    String message;

    @Label("Citation")
    String citation;

    @Label("Report")
    String report;

    /** Records {@code v} when a recording wants the event; a JVM without JFR makes this a no-op. */
    static void emit(io.jlockdep.api.Violation v, String text) {
        ViolationEvent e = new ViolationEvent();
        if (!e.isEnabled()) {
            return;
        }
        e.rule = v.rule();
        e.message = v.message();
        e.citation = v.citation();
        e.report = text;
        e.commit();
    }
}
