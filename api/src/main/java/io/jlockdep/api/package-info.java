/**
 * The public API of jlockdep: what a test harness or a tool may use while the agent runs.
 * {@link io.jlockdep.api.Jlockdep} (is the agent active, the violations filed under a test
 * context, the held-lock check), {@link io.jlockdep.api.Violation} and its text
 * ({@link io.jlockdep.api.TextReport}), the rule IDs ({@link io.jlockdep.api.Rules}) and
 * {@link io.jlockdep.api.LockdepViolationError}, thrown in fail mode. Everything else in the
 * agent is internal. These classes depend on nothing else of jlockdep.
 */
package io.jlockdep.api;
