/**
 * Reports: the kernel-style text, the JSON report (streamed, atomic), the sinks (SLF4J or
 * stderr, JFR events, the MBean's held-locks dump), and what the command-line tools read back:
 * {@code ReportFile} (shape-checked input), {@code Merge} (cycles across JVMs) and
 * {@code Render} (HTML, DOT).
 */
package io.jlockdep.agent.report;
