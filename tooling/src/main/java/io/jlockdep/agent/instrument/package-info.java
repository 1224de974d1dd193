/**
 * The instrumentation, loaded by the agent's own class loader only: the installer (options,
 * specs, engine, sinks), one {@code LockFamily} per instrumented lock type with its class plans,
 * patched with plain ASM ({@code PlanTransformer}, {@code MethodPatcher}), the monitor transformer,
 * the spec rules (Byte Buddy advice, loaded the first time a rule's class loads) and
 * {@code GetterIndex}, which reads lock-path getters from class files so that the agent never
 * calls application code to find a lock. Every inserted call is a static call to the hooks
 * ({@code io.jlockdep.agent.hook}) on the boot class path.
 */
package io.jlockdep.agent.instrument;
