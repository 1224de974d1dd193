/**
 * JMH benchmarks and their runner ({@code BenchMain}): lock workloads without and with the agent
 * and on Guava's CycleDetectingLockFactory, new-dependency validation in a large graph, merge of
 * large reports, start-up. Run by one command (BENCHMARKS.md), never by {@code mvn verify}.
 */
package io.jlockdep.bench;
