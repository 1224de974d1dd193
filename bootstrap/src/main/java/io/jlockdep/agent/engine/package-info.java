/**
 * The lockdep engine, pure Java (no Byte Buddy, no instrumentation): lock classes, per-thread
 * held-lock stacks, the dependency graph with lockdep's strong-path cycle search and an
 * incremental topological order, the chain cache, ww_mutex and API-rule checks, the deadlock
 * watchdog's wait-for graph, the violation model and its bounds (the kernel's {@code MAX_*}).
 * Fed by events ({@code Lockdep.acquire}, {@code release}, {@code enter} ...); it knows nothing
 * of where they come from: the frames its stacks skip are given in {@code LockdepConfig}.
 * Counterpart of the kernel's {@code kernel/locking/lockdep.c}.
 */
package io.jlockdep.agent.engine;
