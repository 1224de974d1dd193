/**
 * The lockdep engine, pure Java (no Byte Buddy, no instrumentation), cut along
 * kernel/locking/lockdep.c's own seams: {@code Lockdep} (the events, guarded once),
 * {@code LockAcquisition} ({@code __lock_acquire}), {@code HeldLocks} (held-lock stacks and chain
 * keys), {@code ChainValidator} ({@code validate_chain}), {@code DependencyGraph}
 * ({@code check_prev_add}, {@code check_noncircular}), {@code WwChecks} (ww_mutex.h),
 * {@code ApiChecks} (the convention's rules), {@code Reporter} ({@code print_*_bug}) and
 * {@code DeadlockDetector} (the watchdog's wait-for graph). It knows nothing of where events
 * come from: the frames its stacks skip are given in {@code LockdepConfig}.
 */
package io.jlockdep.agent.engine;
