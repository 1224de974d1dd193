/**
 * The agent's entry points and its public API: {@code Premain} (the {@code -javaagent} and
 * {@code Agent-Class} entry, the only class loaded from the jar by the system class loader),
 * {@code Jlockdep} (what tests and tools may call: is the agent active, the violations filed
 * under a test, the held-lock check) and {@code Main} (the jar's commands, {@code merge} and
 * {@code render}).
 *
 * <p>Dependency direction, inside the agent: {@code instrument} -> {@code report}, {@code spec},
 * {@code engine}; {@code report} -> {@code engine}; {@code spec} -> {@code engine};
 * {@code engine} -> nothing of the agent. {@code Jlockdep} depends on the engine only; the
 * installer tells it the engine once it runs.
 */
package io.jlockdep.agent;
