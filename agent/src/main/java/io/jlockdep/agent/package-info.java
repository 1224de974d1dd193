/**
 * The agent jar's entry point: {@code Premain} (the {@code -javaagent} and {@code Agent-Class}
 * entry) and {@code AgentClassLoader}, the class loader of the agent's tooling.
 *
 * <p>Layout of the jar and who loads what: the jar's root (the API, the engine, the hooks, the
 * report sinks, and the command-line tools, which a checked JVM never loads) goes on the boot
 * class path; the tooling (installer, Byte Buddy, ASM, the spec parser) lives under {@code inst/}
 * and only {@link io.jlockdep.agent.AgentClassLoader} loads it. See ARCHITECTURE.md.
 */
package io.jlockdep.agent;
