/**
 * The sinks of a running agent: the JSON report (streamed, atomic), the log (SLF4J or stderr),
 * JFR events, the MBean's held-locks dump, and {@code Echo}, how every error message shows what
 * the user wrote. The kernel-style text is the API's ({@code io.jlockdep.api.TextReport}); the
 * tools that read reports back are in {@code io.jlockdep.agent.cli}.
 */
package io.jlockdep.agent.report;
