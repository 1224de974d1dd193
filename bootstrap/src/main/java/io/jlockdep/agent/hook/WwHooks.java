package io.jlockdep.agent.hook;

import io.jlockdep.agent.engine.LockClass;
import io.jlockdep.agent.engine.Lockdep;
import java.lang.reflect.Method;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hooks of {@code ReservationLock} and {@code WwAcquireContext} (called from the patched classes: the tooling's {@code ReservationLocks}): ww_mutex
 * lock, trylock, slow-path and unlock calls, and acquire-context init, done and fini, as engine
 * events. Each ww class has two lock classes, {@code <name>_mutex} and {@code <name>_acquire},
 * as in the kernel. The runtime's types are never referenced: ww classes and contexts arrive as
 * plain objects.
 */
public final class WwHooks {

    private static final ConcurrentHashMap<Object, LockClass> WW_MUTEX = new ConcurrentHashMap<>();
    private static final ConcurrentHashMap<Object, LockClass> WW_ACQUIRE = new ConcurrentHashMap<>();

    private WwHooks() {}

    /** The last ww class's mutex class: most programs have one ww class (reservation_ww_class). */
    private record Last(Lockdep engine, Object wwClass, LockClass mutex) {}

    private static volatile Last last;

    private static LockClass mutexClass(Lockdep e, Object wwClass) {
        Last l = last;
        if (l != null && l.wwClass == wwClass && l.engine == e) {
            return l.mutex; // no map probe: written when the ww class changes, read otherwise
        }
        LockClass c = wwLockClass(e, wwClass, WW_MUTEX, "mutex", LockClass.Kind.WW_MUTEX);
        if (c != null) {
            last = new Last(e, wwClass, c);
        }
        return c;
    }

    private static LockClass acquireClass(Lockdep e, Object wwClass) {
        return wwLockClass(e, wwClass, WW_ACQUIRE, "acquire", LockClass.Kind.WW_ACQUIRE);
    }

    /** One of a ww class's two lock classes ({@code <name>_mutex}, {@code <name>_acquire}), made once. */
    private static LockClass wwLockClass(
            Lockdep e, Object wwClass, ConcurrentHashMap<Object, LockClass> cache, String part, LockClass.Kind kind) {
        LockClass c = cache.get(wwClass);
        if (c == null) {
            c = e.lockClass(new WwKey(wwClass, part), wwName(wwClass) + "_" + part, kind);
            if (c != null) {
                cache.putIfAbsent(wwClass, c);
            }
        }
        return c;
    }

    /** Identity of a ww class plus which of its two lock classes. */
    private record WwKey(Object wwClass, String part) {
        @Override
        public boolean equals(Object o) {
            return o instanceof WwKey && ((WwKey) o).wwClass == wwClass && ((WwKey) o).part.equals(part);
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(wwClass) * 31 + part.hashCode();
        }
    }

    /** The ww class's name (its {@code name()}), read once per class on the slow path. */
    private static String wwName(Object wwClass) {
        try {
            Method name = wwClass.getClass().getMethod("name");
            return String.valueOf(name.invoke(wwClass));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return String.valueOf(wwClass);
        }
    }

    /** Entry of a blocking ww lock call (lock, lockInterruptible, lockSlow...). */
    public static void wwLockEnter(Object lock, Object wwClass, Object ctx, int flags) {
        Lockdep e = Hooks.engine();
        if (e != null && wwClass != null) {
            e.acquire(lock, mutexClass(e, wwClass), Lockdep.WRITE, flags, ctx, null);
        }
    }

    /** Exit of a blocking ww lock call: acquired, or not (EDEADLK, EALREADY, interrupt, violation). */
    public static void wwLockExit(Throwable thrown, Object lock, Object ctx) {
        Lockdep e = Hooks.engine();
        if (e == null) {
            return;
        }
        if (thrown == null) {
            e.acquired(lock);
        } else {
            boolean deadlock = thrown.getClass().getName().equals("io.jlockdep.resv.WwDeadlockException");
            e.failed(lock, ctx, deadlock ? Lockdep.FAILED_WW_DEADLOCK : Lockdep.FAILED);
        }
    }

    /** Exit of a ww trylock: only a success is an acquisition. */
    public static void wwTryLockExit(boolean success, Object lock, Object wwClass, Object ctx) {
        Lockdep e = Hooks.engine();
        if (e != null && success && wwClass != null) {
            e.acquire(lock, mutexClass(e, wwClass), Lockdep.WRITE, Lockdep.TRYLOCK, ctx, null);
        }
    }

    /** Entry of a ww unlock, checked before the real unlock can throw. */
    public static void wwUnlock(Object lock, Object wwClass) {
        Lockdep e = Hooks.engine();
        if (e != null && wwClass != null && !e.releaseIfHeld(lock, Lockdep.WRITE)) {
            e.release(lock, mutexClass(e, wwClass), Lockdep.WRITE); // not held: reported
        }
    }

    /** {@code ww_acquire_init} returned {@code ctx}. */
    public static void wwInit(Object ctx, Object wwClass) {
        Lockdep e = Hooks.engine();
        if (e != null && ctx != null && wwClass != null) {
            e.wwAcquireInit(ctx, acquireClass(e, wwClass), mutexClass(e, wwClass), null);
        }
    }

    public static void wwDone(Object ctx) {
        Lockdep e = Hooks.engine();
        if (e != null) {
            e.wwAcquireDone(ctx, null);
        }
    }

    public static void wwFini(Object ctx) {
        Lockdep e = Hooks.engine();
        if (e != null) {
            e.wwAcquireFini(ctx, null);
        }
    }
}
