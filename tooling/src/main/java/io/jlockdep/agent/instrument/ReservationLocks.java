package io.jlockdep.agent.instrument;

import static io.jlockdep.agent.instrument.ClassPlan.MethodMatch.named;

import io.jlockdep.agent.engine.Lockdep;
import java.util.List;

/**
 * The runtime's ww_mutex: {@code ReservationLock} (lock with and without an acquire context, the
 * slow paths, trylock, unlock) and {@code WwAcquireContext} (init, done, fini), as
 * kernel/locking/ww_mutex.h sees them; the ww class is read from the lock's own field. Hooks:
 * {@code WwHooks}.
 */
final class ReservationLocks implements LockFamily {

    @Override
    public List<ClassPlan> plans() {
        Hook.Arg wwClass = Hook.Arg.field("wwClass");
        Hook.Arg ctx = Hook.Arg.arg(0);
        Hook.Arg noCtx = Hook.Arg.nothing();
        return List.of(
                new ClassPlan("io.jlockdep.resv.ReservationLock")
                        .on(named(1, "lock", "lockInterruptible"), HookCalls.wwLock(wwClass, ctx, 0))
                        .on(named(0, "lock", "lockInterruptible"), HookCalls.wwLock(wwClass, noCtx, 0))
                        .on(named("lockSlow", "lockSlowInterruptible"), HookCalls.wwLock(wwClass, ctx, Lockdep.WW_SLOW))
                        .on(named(1, "tryLock"), HookCalls.wwTryLock(wwClass, ctx))
                        .on(named(0, "tryLock"), HookCalls.wwTryLock(wwClass, noCtx))
                        .on(named(0, "unlock"), HookCalls.wwUnlock(wwClass)),
                new ClassPlan("io.jlockdep.resv.WwAcquireContext")
                        .on(named(1, "init"), HookCalls.wwInit())
                        .on(named("done"), HookCalls.wwContext("wwDone"))
                        .on(named("fini"), HookCalls.wwContext("wwFini")));
    }
}
