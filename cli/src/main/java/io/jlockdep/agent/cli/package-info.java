/**
 * The agent jar's commands ({@code java -jar jlockdep-agent.jar merge|render}): {@code Main},
 * {@code ReportFile} (a report read back with its shape checked), {@code Merge} (cycles no single
 * JVM saw), {@code Render} (HTML, DOT) and {@code JsonReader}. A checked JVM never loads them.
 */
package io.jlockdep.agent.cli;
