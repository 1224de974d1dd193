package io.jlockdep.agent.hook;

import io.jlockdep.agent.engine.Lockdep;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The hooks the tooling's {@code MonitorVisitor} writes before an application's calls of the
 * JDK's lock methods ({@code lock.lock()}, {@code rw.readLock().lock()},
 * {@code stamped.writeLock()}, ...): they tell the engine where the call is
 * ({@link Lockdep#callSite}), since the JDK lock's own hooks run inside the lock's code and do
 * not know it. A held lock then says where it was taken even when its chain was known and no
 * stack was walked ({@code at: com.example.Foo.bar(Foo.java:12)}).
 *
 * <p>A call through the {@code Lock} interface may reach a lock that is not the JDK's (the
 * application's own {@code Lock}): its site would then wait for the next acquisition the thread
 * makes, which may be elsewhere, so such a call announces its site only when the receiver is
 * one of the JDK's tracked locks.
 */
public final class LockCallSites {

    private LockCallSites() {}

    /** {@code StampedLock}'s {@code Lock} views (package-private classes), or null where absent. */
    private static final Class<?> STAMPED_READ_VIEW = view("ReadLockView");

    private static final Class<?> STAMPED_WRITE_VIEW = view("WriteLockView");

    private static Class<?> view(String name) {
        try {
            return Class.forName("java.util.concurrent.locks.StampedLock$" + name, false, null);
        } catch (ClassNotFoundException e) {
            return null; // a JDK without it: its views' calls just announce no site
        }
    }

    /**
     * Before a lock call whose receiver's declared type is one of the JDK's locks
     * ({@code ReentrantLock}, its read-write views, {@code StampedLock}): {@code at} is where
     * ({@link CodeLocations}).
     */
    public static void call(int at) {
        Lockdep e = Hooks.engine();
        if (e != null) {
            e.callSite(CodeLocations.at(at));
        }
    }

    /**
     * Before a call of {@code lock()}, {@code lockInterruptibly()} or {@code tryLock()} through the
     * {@code Lock} interface: announced only when {@code lock} is one of the JDK's tracked locks.
     */
    public static void interfaceCall(Object lock, int at) {
        Lockdep e = Hooks.engine();
        if (e != null && jdkLock(lock)) {
            e.callSite(CodeLocations.at(at));
        }
    }

    /**
     * After a timed {@code tryLock} through the {@code Lock} interface, whose receiver the hook
     * before could not check ({@link #call} then): the site is forgotten if the call took
     * nothing with it.
     */
    public static void interfaceCallDone() {
        Lockdep e = Hooks.engine();
        if (e != null) {
            e.dropCallSite();
        }
    }

    private static boolean jdkLock(Object lock) {
        if (lock instanceof ReentrantLock
                || lock instanceof ReentrantReadWriteLock.ReadLock
                || lock instanceof ReentrantReadWriteLock.WriteLock) {
            return true;
        }
        Class<?> type = lock == null ? null : lock.getClass();
        return type != null && (type == STAMPED_READ_VIEW || type == STAMPED_WRITE_VIEW);
    }
}
