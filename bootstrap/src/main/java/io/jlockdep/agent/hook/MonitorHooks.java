package io.jlockdep.agent.hook;

import io.jlockdep.agent.engine.LockClass;
import io.jlockdep.agent.engine.Lockdep;
import io.jlockdep.api.LockdepViolationError;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The hooks of Java monitors: {@code monitorenter}/{@code monitorexit} and {@code Object.wait}
 * call sites rewritten by the tooling's {@code MonitorVisitor}, and the entry and exits of
 * {@code synchronized} methods ({@code HookCalls.synchronizedMethod}). A monitor's lock class is the object's Java class (a
 * {@code Class} object used as a monitor is a class of its own), named with its loader when two
 * loaders define classes of one name.
 */
public final class MonitorHooks {

    private MonitorHooks() {}

    /** A monitor's class per Java class; null where the engine's class cap was reached. */
    private static final ClassValue<LockClass> MONITOR_CLASS = new ClassValue<>() {
        @Override
        protected LockClass computeValue(Class<?> type) {
            return monitorLockClass(type, false);
        }
    };
    /** The class of a {@code Class} object used as a monitor. */
    private static final ClassValue<LockClass> CLASS_MONITOR_CLASS = new ClassValue<>() {
        @Override
        protected LockClass computeValue(Class<?> type) {
            return monitorLockClass(type, true);
        }
    };

    /** The lock classes of monitors by name, to tell two Java classes of one name (two loaders) apart. */
    private static final ConcurrentHashMap<String, LockClass> MONITOR_NAMES = new ConcurrentHashMap<>();

    /**
     * The lock class of the monitors of {@code type} (or of its {@code Class} object). Named by the
     * Java class; when another loader already defined a class of that name, both lock classes are
     * named with their loader, so a report never reads "X while holding X" for two classes.
     */
    private static LockClass monitorLockClass(Class<?> type, boolean classObject) {
        Lockdep e = Hooks.engine();
        if (e == null) {
            return null;
        }
        String name = type.getName() + (classObject ? ".class" : "");
        LockClass cls = e.lockClass(new MonitorKey(type, classObject), name, LockClass.Kind.MONITOR);
        if (cls == null) {
            return null;
        }
        LockClass first = MONITOR_NAMES.putIfAbsent(name, cls);
        if (first != null && first != cls) {
            e.renameClass(cls, name + " (loader " + loaderName(type.getClassLoader()) + ")");
            if (first.name().equals(name)) {
                e.renameClass(first, name + " (loader " + loaderName(firstLoader(first, type)) + ")");
            }
        }
        return cls;
    }

    /** The loader of the class that {@code first} stands for (looked up by the class's name in its loader). */
    private static ClassLoader firstLoader(LockClass first, Class<?> other) {
        Object key = first.key();
        return key instanceof MonitorKey ? ((MonitorKey) key).type().getClassLoader() : other.getClassLoader();
    }

    private static String loaderName(ClassLoader loader) {
        if (loader == null) {
            return "bootstrap";
        }
        String name = loader.getName();
        return (name != null ? name : loader.getClass().getName()) + "@"
                + Integer.toHexString(System.identityHashCode(loader));
    }

    /** The engine's key of a monitor class. */
    private record MonitorKey(Class<?> type, boolean classObject) {}

    /**
     * A monitor's class is the object's Java class; a {@code Class} object used as a monitor
     * ({@code static synchronized}, {@code synchronized (Foo.class)}) is a class of its own per
     * Java class.
     */
    private static LockClass monitorClass(Object monitor) {
        return monitor instanceof Class
                ? CLASS_MONITOR_CLASS.get((Class<?>) monitor)
                : MONITOR_CLASS.get(monitor.getClass());
    }

    /** Before {@code monitorenter}: checked before it can block. */
    public static void monitorEnter(Object monitor) {
        Lockdep e = Hooks.engine();
        if (e != null && monitor != null) {
            e.acquire(monitor, monitorClass(monitor), Lockdep.WRITE, Lockdep.REENTRANT, null, null);
        }
    }

    /** After {@code monitorenter}. */
    public static void monitorEntered(Object monitor) {
        Lockdep e = Hooks.engine();
        if (e != null) {
            e.acquired(monitor);
        }
    }

    /**
     * Entry of a {@code synchronized} method, which the JVM enters before any bytecode runs:
     * recorded and validated right after the monitor was taken.
     */
    public static void synchronizedMethodEnter(Object monitor) {
        Lockdep e = Hooks.engine();
        if (e != null && monitor != null) {
            e.acquire(monitor, monitorClass(monitor), Lockdep.WRITE, Lockdep.REENTRANT, null, null);
            e.acquired(monitor);
        }
    }

    /**
     * Before {@code monitorexit}, or the exit of a {@code synchronized} method. Never throws, even
     * in fail mode: javac's handler that releases a monitor covers its own {@code monitorexit}, so
     * a throw here would loop. (Structured monitors cannot be released unbalanced anyway; the
     * report still goes out.)
     */
    public static void monitorExit(Object monitor) {
        Lockdep e = Hooks.engine();
        if (e != null && monitor != null) {
            try {
                if (!e.releaseIfHeld(monitor, Lockdep.WRITE)) {
                    e.release(monitor, monitorClass(monitor), Lockdep.WRITE);
                }
            } catch (LockdepViolationError reported) {
                // reported through the sink already
            }
        }
    }

    /** Replaces {@code monitor.wait()} at call sites: the monitor is given up while waiting. */
    public static void wait(Object monitor) throws InterruptedException {
        wait(monitor, 0L);
    }

    /** Replaces {@code monitor.wait(millis)}. */
    public static void wait(Object monitor, long millis) throws InterruptedException {
        wait(monitor, millis, 0);
    }

    /**
     * Replaces {@code monitor.wait(millis, nanos)}: every hold of the monitor is given up while
     * waiting. One wait, as the call it replaces: the application's own loop handles spurious
     * wake-ups.
     */
    @SuppressWarnings("WaitNotInLoop")
    public static void wait(Object monitor, long millis, int nanos) throws InterruptedException {
        Lockdep e = Hooks.engine();
        int holds = e == null ? 0 : e.releaseAll(monitor);
        try {
            monitor.wait(millis, nanos);
        } finally {
            if (holds > 0) {
                e.reacquire(monitor, monitorClass(monitor), Lockdep.WRITE, holds);
            }
        }
    }
}
