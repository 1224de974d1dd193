package io.jlockdep.agent.hook;

import io.jlockdep.agent.engine.GuardRule;
import io.jlockdep.agent.engine.Lockdep;
import java.lang.invoke.CallSite;
import java.lang.invoke.ConstantCallSite;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Arrays;

/**
 * The calls the instrumentation inserts for lock contracts written in annotations: at each read
 * and write of a {@code @GuardedBy} field (in any class), at the entry of a {@code @GuardedBy} or
 * {@code @Holding} method, and around a {@code @ReleasesNoLocks} or {@code @LockingFree} method.
 * The instrumented code computes the lock the contract names itself (a synthetic accessor in the
 * member's class), and passes it here with the contract's number and the access site's; each call
 * is an array read and {@link Lockdep#guarded}: a scan of the thread's held locks.
 */
public final class GuardHooks {

    private GuardHooks() {}

    private static volatile Lockdep engine;

    /** By number: the contracts of the classes loaded so far. */
    private static volatile GuardRule[] rules = new GuardRule[64];

    private static int count;

    /** Called by the installer before any class is instrumented. */
    public static void install(Lockdep e) {
        engine = e;
    }

    /** Registers a contract as its class is instrumented; returns its number for the inserted calls. */
    public static synchronized int register(GuardRule rule) {
        GuardRule[] r = rules;
        if (count == r.length) {
            r = Arrays.copyOf(r, count * 2);
        }
        r[count] = rule;
        rules = r;
        return count++;
    }

    /** The contract registered as {@code number} (tests, tools). */
    public static GuardRule rule(int number) {
        return rules[number];
    }

    /**
     * The bootstrap of an access site outside the guarded field's class: links it, once, to the
     * accessor {@code name} the field's class got when it was defined. Should that class lack it
     * (defined from other bytes than the agent read for it, by another loader), the site is linked
     * to a constant null — its accesses go unchecked, said once in a notice — rather than throwing
     * {@code NoSuchMethodError} into the application.
     */
    public static CallSite accessor(MethodHandles.Lookup caller, String name, MethodType type, Class<?> owner) {
        try {
            return new ConstantCallSite(caller.findStatic(owner, name, type));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            Lockdep e2 = engine;
            if (e2 != null) {
                e2.addNotice("guard: the accesses from " + caller.lookupClass().getName() + " to a guarded field of "
                        + owner.getName() + " are not checked: " + e);
            }
            MethodHandle none = MethodHandles.constant(Object.class, null);
            return new ConstantCallSite(MethodHandles.dropArguments(none, 0, type.parameterList()));
        }
    }

    /**
     * A read of a guarded field of {@code owner} (its {@code Class} for a static field; null when
     * not known) at access site {@code site}: {@code lock} must be held.
     */
    public static void read(Object owner, Object lock, int rule, int site) {
        Lockdep e = engine;
        if (e != null && lock != null) {
            e.guarded(rules[rule], Hooks.canonical(lock), false, site, owner);
        }
    }

    /** A write of a guarded field of {@code owner} at access site {@code site}: {@code lock} must be held for writing. */
    public static void write(Object owner, Object lock, int rule, int site) {
        Lockdep e = engine;
        if (e != null && lock != null) {
            e.guarded(rules[rule], Hooks.canonical(lock), true, site, owner);
        }
    }

    /** The entry of a {@code @GuardedBy} or {@code @Holding} method of {@code owner}: {@code lock} must be held. */
    public static void holding(Object owner, Object lock, int rule, int site) {
        read(owner, lock, rule, site);
    }

    /**
     * A constructor of a class with lock contracts starts building {@code object}, right after its
     * {@code super(...)} or {@code this(...)} call: its contracts do not bind until
     * {@link #constructed}.
     */
    public static void constructing(Object object) {
        Lockdep e = engine;
        if (e != null) {
            e.constructing(object);
        }
    }

    /** That constructor returned or threw (called once for each, harmlessly twice). */
    public static void constructed(Object object) {
        Lockdep e = engine;
        if (e != null) {
            e.constructed(object);
        }
    }

    /** Entry into a {@code @ReleasesNoLocks} or {@code @LockingFree} method. */
    public static void scopeEnter(int rule) {
        Lockdep e = engine;
        if (e != null) {
            e.guardScopeEnter(rules[rule]);
        }
    }

    /** Exit, normal or exceptional, from a {@code @ReleasesNoLocks} or {@code @LockingFree} method. */
    public static void scopeExit(int rule) {
        Lockdep e = engine;
        if (e != null) {
            e.guardScopeExit(rules[rule]);
        }
    }
}
