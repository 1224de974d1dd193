/**
 * The hooks the instrumentation calls: static entry points on the boot class path, so calls
 * inserted into JDK classes reach them. They translate bytecode events (a monitor entered,
 * a {@code ReentrantLock} locked, a spec rule's method entered) into engine events and nothing
 * more: {@code Hooks} (JDK locks, spec rules, thread end), {@code MonitorHooks},
 * {@code WwHooks}, {@code SemaphoreHooks}. The installer hands them their settings once
 * ({@code Hooks.install}).
 */
package io.jlockdep.agent.hook;
