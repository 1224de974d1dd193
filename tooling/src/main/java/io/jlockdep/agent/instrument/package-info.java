/**
 * The instrumentation, loaded by the agent's own class loader only: the installer (options,
 * specs, engine, sinks), one {@code LockFamily} per instrumented lock type with its matchers
 * and advice, the monitor transformer (ASM) and {@code GetterIndex}, which reads lock-path
 * getters from class files so that the agent never calls application code to find a lock. The
 * advice is inlined into lock methods and calls the hooks ({@code io.jlockdep.agent.hook}) on
 * the boot class path.
 */
package io.jlockdep.agent.instrument;
