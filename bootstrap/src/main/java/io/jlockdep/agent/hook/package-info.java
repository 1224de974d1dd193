/**
 * The hooks the instrumentation's advice calls: static entry points on the boot class path, so
 * advice inlined into JDK classes reaches them. They translate bytecode events (a monitor entered,
 * a {@code ReentrantLock} locked, a spec rule's method entered) into engine events and nothing
 * more: {@code Hooks} (JDK locks, spec rules, thread end), {@code MonitorHooks},
 * {@code WwHooks}, {@code SemaphoreHooks}. The installer hands them their settings once
 * ({@code Hooks.install}).
 */
package io.jlockdep.agent.hook;
