/**
 * Running JVMs under the jlockdep agent, for the integration tests, the demo runner and the
 * benchmarks: {@link io.jlockdep.testkit.AgentJvm} builds the command ({@code -javaagent} with
 * options and a report file), runs it bounded, and reads the output and the JSON report back.
 */
package io.jlockdep.testkit;
