package io.jlockdep.api;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The running agent, for test harnesses (the JUnit 5 extension of {@code jlockdep-junit5}): is
 * it attached, and which violations happened within a context — a test — on its thread and on
 * the threads started from it.
 *
 * <p>A context is a name set on a thread with {@link #enterContext}; threads constructed while
 * it is set inherit it (an {@link InheritableThreadLocal}). Each violation, and each repeat of
 * one already reported, is filed under the context of the thread it happened on.
 */
public final class Jlockdep {

    private static final InheritableThreadLocal<String> CONTEXT = new InheritableThreadLocal<>();
    private static final ConcurrentHashMap<String, List<Occurrence>> BY_CONTEXT = new ConcurrentHashMap<>();

    /**
     * A violation filed under a context: the report, the thread it happened on this time, and
     * whether it repeats one reported before (the report then describes its first occurrence).
     *
     * @param violation the violation (for a repeat, as first reported)
     * @param thread the thread it happened on this time
     * @param repeat whether it was reported before
     */
    public record Occurrence(Violation violation, String thread, boolean repeat) {}

    /** The running agent, set once it has started (never unset); null without the agent. */
    private static volatile RunningAgent running;

    private static volatile boolean runningFailMode;

    private Jlockdep() {}

    /**
     * Called by the agent once it runs, with its engine and mode. Not for applications: the
     * agent calls it (so this API depends on nothing of the agent).
     *
     * @param agent the running agent
     * @param failMode whether it runs with {@code mode=fail}
     */
    public static void started(RunningAgent agent, boolean failMode) {
        runningFailMode = failMode;
        running = agent;
    }

    /**
     * Whether the agent runs in this JVM.
     *
     * @return true once the agent has started
     */
    public static boolean isActive() {
        return running != null;
    }

    /**
     * Whether it runs with {@code mode=fail}.
     *
     * @return true in fail mode
     */
    public static boolean failMode() {
        return running != null && runningFailMode;
    }

    /**
     * From now on, violations on this thread and on threads it starts are filed under {@code id}.
     *
     * @param id the context's name (e.g. a test's unique id)
     */
    public static void enterContext(String id) {
        CONTEXT.set(id);
        BY_CONTEXT.remove(id);
    }

    /** This thread leaves its context. */
    public static void exitContext() {
        CONTEXT.remove();
    }

    /**
     * The violations (new ones and repeats) filed under {@code id} so far, which are then forgotten.
     *
     * @param id the context's name
     * @return what was filed, in order
     */
    public static List<Occurrence> takeViolations(String id) {
        List<Occurrence> list = BY_CONTEXT.remove(id);
        if (list == null) {
            return List.of();
        }
        synchronized (list) {
            return new ArrayList<>(list);
        }
    }

    /**
     * Reports {@code lockdep/held-lock-at-exit} when the calling thread holds locks.
     *
     * @param where what ends, for the report (e.g. the test's name)
     * @return whether nothing was held
     */
    public static boolean checkNothingHeld(String where) {
        RunningAgent e = running;
        return e == null || e.checkNothingHeld(where);
    }

    /**
     * Puts {@code lock} in the lock class called {@code name}: the kernel's
     * {@code lockdep_set_class_and_name()}, for a lock whose class by allocation site or field is
     * too coarse (every session's lock allocated at one line, but the system session's is never
     * taken inside a user's) or too fine. Locks given one name are one class. Call it before the
     * lock is first taken: dependencies already recorded stay with its old class, as in the kernel.
     * A JDK lock ({@code ReentrantLock}, a read-write lock or either view, {@code StampedLock}, a
     * tracked {@code Semaphore(1)}, a {@code ConcurrentHashMap}) or any object used as a monitor.
     * Without an agent it does nothing.
     *
     * @param lock the lock
     * @param name the lock class's name, as reports show it
     * @throws IllegalArgumentException a blank name, a reservation lock (its class is its
     *     {@code WwClass}), or a JDK lock the agent does not track
     */
    public static void setClass(Object lock, String name) {
        java.util.Objects.requireNonNull(lock, "lock");
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException(
                    "a lock class needs a name, got " + (name == null ? "null" : "'" + name + "'"));
        }
        RunningAgent e = running;
        if (e != null) {
            e.setLockClass(lock, name);
        }
    }

    /**
     * The running agent, for tools that need every violation of the JVM.
     *
     * @return the agent, or null without it
     */
    public static RunningAgent agent() {
        return running;
    }

    /**
     * Called by the agent's sink, on the violating thread: files {@code v} under that thread's context.
     *
     * @param v the violation
     * @param repeat whether it repeats one reported before
     */
    public static void record(Violation v, boolean repeat) {
        String id = CONTEXT.get();
        if (id == null) {
            return;
        }
        List<Occurrence> list = BY_CONTEXT.computeIfAbsent(id, k -> new ArrayList<>());
        synchronized (list) {
            list.add(new Occurrence(v, Thread.currentThread().getName(), repeat));
        }
    }
}
