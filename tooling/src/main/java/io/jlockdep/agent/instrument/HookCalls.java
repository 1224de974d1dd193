package io.jlockdep.agent.instrument;

import static io.jlockdep.agent.instrument.Hook.Arg.constant;
import static io.jlockdep.agent.instrument.Hook.Arg.nothing;
import static io.jlockdep.agent.instrument.Hook.Arg.value;

import io.jlockdep.agent.hook.LockView;

/**
 * Every hook call the lock families insert, with its descriptor, in one place. The lock mode of
 * a JDK lock method is a constant in the call ({@link LockView}'s {@code read} and
 * {@code readWrite}), not a value loaded at run time.
 */
final class HookCalls {

    private static final String OBJECT = "Ljava/lang/Object;";
    private static final String THROWABLE = "Ljava/lang/Throwable;";

    private HookCalls() {}

    private static Hook hooks(String name, String descriptor, Hook.Arg... args) {
        return Hook.call(Hook.HOOKS, name, descriptor, args);
    }

    /** {@code Hooks.jdkLockCreated(lock, sync, readWrite)}. */
    static Hook jdkLockCreated(Hook.Arg sync, LockView view) {
        return hooks("jdkLockCreated", "(" + OBJECT + OBJECT + "Z)V", Hook.Arg.self(), sync, constant(view.readWrite));
    }

    /** {@code Hooks.jdkLockEnter(sync, read, readWrite)}. */
    static Hook jdkLockEnter(Hook.Arg sync, LockView view) {
        return hooks(
                "jdkLockEnter", "(" + OBJECT + "IZ)" + OBJECT, sync, constant(view.read), constant(view.readWrite));
    }

    /**
     * A blocking JDK lock call: {@code Hooks.jdkLockEnter} before it can block, which returns the
     * thread's pending entry as a token, and {@code Hooks.jdkLockAcquired(thrown, lock, token)}
     * after it ({@code null} when it returned): the exit settles the entry without looking the
     * thread's state up again.
     */
    static Patch blockingJdkLock(Hook.Arg sync, LockView view) {
        String descriptor = "(" + THROWABLE + OBJECT + OBJECT + ")V";
        return Patch.around(
                jdkLockEnter(sync, view),
                hooks("jdkLockAcquired", descriptor, nothing(), sync, Hook.Arg.entered()),
                hooks("jdkLockAcquired", descriptor, value(), sync, Hook.Arg.entered()));
    }

    /**
     * A blocking acquisition: {@code enter} before it can block, {@code Hooks.jdkLockExit(thrown,
     * lock)} after it, with {@code null} when it returned.
     */
    static Patch blockingAcquire(Hook enter, Hook.Arg lock) {
        String descriptor = "(" + THROWABLE + OBJECT + ")V";
        return Patch.around(
                enter,
                hooks("jdkLockExit", descriptor, nothing(), lock),
                hooks("jdkLockExit", descriptor, value(), lock));
    }

    /** {@code Hooks.jdkTryLockExit(success, sync, read, readWrite)} at a normal exit. */
    static Patch jdkTryLock(Hook.Arg sync, LockView view) {
        return Patch.exit(hooks(
                "jdkTryLockExit",
                "(Z" + OBJECT + "IZ)V",
                value(),
                sync,
                constant(view.read),
                constant(view.readWrite)));
    }

    /**
     * {@code Hooks.jdkUnlock(sync, read)} at entry, which says whether the engine held the lock;
     * {@code Hooks.jdkUnlockThrown(thrown, sync, read, readWrite, held)} when the unlock throws.
     * A lock the engine does not hold whose unlock returns was taken before the agent tracked it
     * (an agent attached at run time): only the JDK's refusal makes it a bad unlock.
     */
    static Patch jdkUnlock(Hook.Arg sync, LockView view) {
        return Patch.around(
                hooks("jdkUnlock", "(" + OBJECT + "I)I", sync, constant(view.read)),
                null,
                hooks(
                        "jdkUnlockThrown",
                        "(" + THROWABLE + OBJECT + "IZI)V",
                        value(),
                        sync,
                        constant(view.read),
                        constant(view.readWrite),
                        Hook.Arg.entered()));
    }

    /** {@code Hooks.awaitEnter(sync)} returns the holds given up; {@code Hooks.awaitExit(sync, holds)} at both exits. */
    static Patch await(Hook.Arg sync) {
        return Patch.around(
                hooks("awaitEnter", "(" + OBJECT + ")I", sync),
                hooks("awaitExit", "(" + OBJECT + "I)V", sync, Hook.Arg.entered()));
    }

    /** {@code Hooks.stampedCreated(lock)}. */
    static Hook stampedCreated() {
        return hooks("stampedCreated", "(" + OBJECT + ")V", Hook.Arg.self());
    }

    /** {@code Hooks.stampedLockEnter(lock, read)}. */
    static Hook stampedLockEnter(LockView view) {
        return hooks("stampedLockEnter", "(" + OBJECT + "I)V", Hook.Arg.self(), constant(view.read));
    }

    /** {@code Hooks.stampedTryExit(stamp, lock, read)} at a normal exit. */
    static Patch stampedTry(LockView view) {
        return Patch.exit(
                hooks("stampedTryExit", "(J" + OBJECT + "I)V", value(), Hook.Arg.self(), constant(view.read)));
    }

    /**
     * {@code Hooks.stampedUnlock(lock, read)} at entry, which says whether this thread held it;
     * {@code Hooks.stampedUnlocked(lock, read, held)} when it returns (another thread's stamp);
     * {@code Hooks.stampedUnlockThrown(thrown, lock, read, held)} when it throws (a bad unlock).
     */
    static Patch stampedUnlock(LockView view) {
        return Patch.around(
                hooks("stampedUnlock", "(" + OBJECT + "I)I", Hook.Arg.self(), constant(view.read)),
                hooks(
                        "stampedUnlocked",
                        "(" + OBJECT + "II)V",
                        Hook.Arg.self(),
                        constant(view.read),
                        Hook.Arg.entered()),
                hooks(
                        "stampedUnlockThrown",
                        "(" + THROWABLE + OBJECT + "II)V",
                        value(),
                        Hook.Arg.self(),
                        constant(view.read),
                        Hook.Arg.entered()));
    }

    /** {@code Hooks.stampedTryUnlocked(released, lock, read)} at a normal exit. */
    static Patch stampedTryUnlock(LockView view) {
        return Patch.exit(
                hooks("stampedTryUnlocked", "(Z" + OBJECT + "I)V", value(), Hook.Arg.self(), constant(view.read)));
    }

    /** {@code Hooks.stampedConverted(stamp, lock, read)} at a normal exit. */
    static Patch stampedConvert(LockView view) {
        return Patch.exit(
                hooks("stampedConverted", "(J" + OBJECT + "I)V", value(), Hook.Arg.self(), constant(view.read)));
    }

    /** {@code Hooks.trackedTryExit(success, lock, read)} at a normal exit. */
    static Patch trackedTry(LockView view) {
        return Patch.exit(
                hooks("trackedTryExit", "(Z" + OBJECT + "I)V", value(), Hook.Arg.self(), constant(view.read)));
    }

    /** {@code SemaphoreHooks.created(semaphore, permits)}. */
    static Patch semaphoreCreated() {
        return Patch.exit(
                Hook.call(Hook.SEMAPHORE_HOOKS, "created", "(" + OBJECT + "I)V", Hook.Arg.self(), Hook.Arg.arg(0)));
    }

    /** {@code SemaphoreHooks.acquireEnter(semaphore)}. */
    static Hook semaphoreAcquireEnter() {
        return Hook.call(Hook.SEMAPHORE_HOOKS, "acquireEnter", "(" + OBJECT + ")V", Hook.Arg.self());
    }

    /** {@code SemaphoreHooks.release(semaphore)} at entry. */
    static Patch semaphoreRelease() {
        return Patch.enter(Hook.call(Hook.SEMAPHORE_HOOKS, "release", "(" + OBJECT + ")V", Hook.Arg.self()));
    }

    /** {@code Hooks.mapCreated(map)}. */
    static Patch mapCreated() {
        return Patch.exit(hooks("mapCreated", "(" + OBJECT + ")V", Hook.Arg.self()));
    }

    /** {@code Hooks.mapEnter(map)}, {@code Hooks.mapExit(map)} at both exits. */
    static Patch mapCompute() {
        return Patch.around(
                hooks("mapEnter", "(" + OBJECT + ")V", Hook.Arg.self()),
                hooks("mapExit", "(" + OBJECT + ")V", Hook.Arg.self()));
    }

    /** {@code Hooks.threadEnd()}. */
    static Hook threadEnd() {
        return hooks("threadEnd", "()V");
    }

    /** {@code MonitorHooks.synchronizedMethodEnter(monitor)}, {@code MonitorHooks.monitorExit(monitor)} at both exits. */
    static Patch synchronizedMethod() {
        return Patch.around(
                Hook.call(Hook.MONITOR_HOOKS, "synchronizedMethodEnter", "(" + OBJECT + ")V", Hook.Arg.monitor()),
                Hook.call(Hook.MONITOR_HOOKS, "monitorExit", "(" + OBJECT + ")V", Hook.Arg.monitor()));
    }

    /**
     * A blocking ww lock: {@code WwHooks.wwLockEnter(lock, wwClass, ctx, flags)} and
     * {@code WwHooks.wwLockExit(thrown, lock, ctx)}.
     */
    static Patch wwLock(Hook.Arg wwClass, Hook.Arg ctx, int flags) {
        String exit = "(" + THROWABLE + OBJECT + OBJECT + ")V";
        return Patch.around(
                Hook.call(
                        Hook.WW_HOOKS,
                        "wwLockEnter",
                        "(" + OBJECT + OBJECT + OBJECT + "I)V",
                        Hook.Arg.self(),
                        wwClass,
                        ctx,
                        constant(flags)),
                Hook.call(Hook.WW_HOOKS, "wwLockExit", exit, nothing(), Hook.Arg.self(), ctx),
                Hook.call(Hook.WW_HOOKS, "wwLockExit", exit, value(), Hook.Arg.self(), ctx));
    }

    /** {@code WwHooks.wwTryLockExit(success, lock, wwClass, ctx)} at a normal exit. */
    static Patch wwTryLock(Hook.Arg wwClass, Hook.Arg ctx) {
        return Patch.exit(Hook.call(
                Hook.WW_HOOKS,
                "wwTryLockExit",
                "(Z" + OBJECT + OBJECT + OBJECT + ")V",
                value(),
                Hook.Arg.self(),
                wwClass,
                ctx));
    }

    /** {@code WwHooks.wwUnlock(lock, wwClass)} at entry. */
    static Patch wwUnlock(Hook.Arg wwClass) {
        return Patch.enter(
                Hook.call(Hook.WW_HOOKS, "wwUnlock", "(" + OBJECT + OBJECT + ")V", Hook.Arg.self(), wwClass));
    }

    /** {@code WwHooks.wwInit(ctx, wwClass)} after {@code WwAcquireContext.init(wwClass)} returned. */
    static Patch wwInit() {
        return Patch.exit(Hook.call(Hook.WW_HOOKS, "wwInit", "(" + OBJECT + OBJECT + ")V", value(), Hook.Arg.arg(0)));
    }

    /** {@code WwHooks.name(ctx)} at entry ({@code wwDone}, {@code wwFini}). */
    static Patch wwContext(String name) {
        return Patch.enter(Hook.call(Hook.WW_HOOKS, name, "(" + OBJECT + ")V", Hook.Arg.self()));
    }
}
