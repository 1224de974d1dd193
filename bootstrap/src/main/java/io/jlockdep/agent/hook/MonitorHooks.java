package io.jlockdep.agent.hook;

import io.jlockdep.agent.engine.LockClass;
import io.jlockdep.agent.engine.Lockdep;
import io.jlockdep.api.LockdepViolationError;
import java.util.HashMap;
import java.util.Map;
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

    /**
     * Per Java class: the lock class of its monitors (null where the engine's class cap was
     * reached), and whether its instances get a class each, decided at their first acquisition
     * by application code (JDK types: {@code java.lang.Object}, collections used as locks).
     */
    private static final class TypeClass {
        final LockClass cls;
        final boolean perInstance;
        /**
         * Whether an instance of this JDK type was given a class of its own by the application
         * code that locked it: only then does the JDK's own code look its instances up.
         */
        volatile boolean pinned;

        /**
         * Whether the JDK's own code has locked an instance of this type (a tracked JDK class:
         * {@code Collections$SynchronizedList}, {@code Hashtable}): from then on application code
         * that locks one from a local (the javadoc's {@code synchronized (list)}) gives it the
         * type's class too, the class the JDK's code took its other instances with, not a class
         * of its own. (Issue 27: a list locked by the JDK with its type's class and then by the
         * application with a class of its own broke the cycle of two lists addAll-ed into each
         * other in two threads.)
         */
        volatile boolean lockedByJdk;

        /** Where the first object of this application type seen was made ({@link #made}), or null. */
        volatile MonitorRoles.Site firstSite;

        /** The roles of its monitors, once objects of it were made at a second site; else null. */
        volatile MonitorRoles roles;

        /**
         * How many of its objects {@link #made} walked the stack for, up to
         * {@link MonitorRoles#WALKS} (then no longer written).
         */
        int walked;

        TypeClass(LockClass cls, boolean perInstance) {
            this.cls = cls;
            this.perInstance = perInstance;
        }
    }

    private static final ClassValue<TypeClass> MONITOR_CLASS = new ClassValue<>() {
        @Override
        protected TypeClass computeValue(Class<?> type) {
            return Lockdep.isJdkClass(type.getName())
                    ? new TypeClass(null, true)
                    : new TypeClass(monitorLockClass(type, false, false), false);
        }
    };

    /**
     * A JDK type's class, for its instances not read from an application field: made when first
     * needed. The JDK's streams, readers and writers share one ({@link #STREAMS}).
     */
    private static final ClassValue<LockClass> JDK_TYPE_CLASS = new ClassValue<>() {
        @Override
        protected LockClass computeValue(Class<?> type) {
            if (java.io.InputStream.class.isAssignableFrom(type)
                    || java.io.OutputStream.class.isAssignableFrom(type)
                    || java.io.Reader.class.isAssignableFrom(type)
                    || java.io.Writer.class.isAssignableFrom(type)) {
                Lockdep e = Hooks.engine();
                return e == null ? null : e.nestableLockClass(STREAMS, STREAMS, LockClass.Kind.MONITOR);
            }
            return monitorLockClass(type, false, true);
        }
    };

    /**
     * The one class of the JDK's streams, readers and writers. They are stacked (a
     * {@code PrintStream} over a {@code BufferedOutputStream} over a {@code FileOutputStream}, a
     * {@code BufferedOutputStream} over that {@code PrintStream}), each layer locking the one
     * below: with a class per type, two {@code BufferedOutputStream}s at two levels of one stack
     * would make a cycle of classes out of a strict order. One class makes every stack
     * same-class nesting, which is ordered instance by instance: the real inversion (two streams
     * locked in both orders) is still reported, and so is a cycle through an application lock.
     */
    private static final String STREAMS = "java.io stream";

    /** The class each JDK-typed monitor instance was given at its first acquisition. */
    private static final LockTable INSTANCES = new LockTable();

    /**
     * Names numbered 1, 2, ... as the instrumentation registers them, each marked as in the JDK's
     * code or not, read without a lock.
     */
    private static final class SiteNames {
        private final Map<String, Integer> numbers = new HashMap<>();
        private volatile String[] names = new String[64];
        private volatile boolean[] jdk = new boolean[64];
        private int count;

        synchronized int number(String name, boolean inJdk) {
            Integer known = numbers.get(name);
            if (known != null) {
                return known;
            }
            int n = ++count;
            numbers.put(name, n);
            String[] all = names;
            boolean[] flags = jdk;
            if (n >= all.length) {
                all = java.util.Arrays.copyOf(all, all.length * 2);
                flags = java.util.Arrays.copyOf(flags, all.length);
            }
            all[n] = name;
            flags[n] = inJdk;
            jdk = flags;
            names = all; // published by this volatile write, grown or not
            return n;
        }

        /** The name of number {@code n}, or null. */
        String name(int n) {
            String[] all = names;
            return n > 0 && n < all.length ? all[n] : null;
        }

        /** Whether number {@code n} is a site in the JDK's code. */
        boolean inJdk(int n) {
            String[] all = names; // the volatile read that publishes the flags written before it
            boolean[] flags = jdk;
            return n > 0 && n < all.length && n < flags.length && flags[n];
        }
    }

    /** The fields monitors are read from, by site number: {@code Owner.field}. */
    private static final SiteNames FIELD_SITES = new SiteNames();

    /** The classes whose code locks monitors it did not read from a field, by code-site number. */
    private static final SiteNames CODE_SITES = new SiteNames();
    /** Their lock classes, made at first use; index = site number. */
    private static volatile LockClass[] siteClasses = new LockClass[64];

    /** The specs' {@code class ... field} statements: lock class name by {@code Owner.field}. */
    private static volatile Map<String, String> namedFields = Map.of();

    /** Whether any application-type monitor was given a class of its own (then looked up per instance). */
    private static volatile boolean instanceClasses;

    static void nameFields(Map<String, String> fields) {
        namedFields = fields;
        if (!fields.isEmpty()) {
            instanceClasses = true;
        }
    }

    /** {@code Jlockdep.setClass} on a monitor: its class from now on, whatever its type. */
    static void setClass(Object monitor, LockClass cls) {
        if (cls != null) {
            instanceClasses = true;
            if (!(monitor instanceof Class)) {
                MONITOR_CLASS.get(monitor.getClass()).pinned = true;
            }
            INSTANCES.put(monitor, cls, null);
        }
    }
    /** The class of a {@code Class} object used as a monitor. */
    private static final ClassValue<LockClass> CLASS_MONITOR_CLASS = new ClassValue<>() {
        @Override
        protected LockClass computeValue(Class<?> type) {
            return monitorLockClass(type, true, false);
        }
    };

    /** The lock classes of monitors by name, to tell two Java classes of one name (two loaders) apart. */
    private static final ConcurrentHashMap<String, LockClass> MONITOR_NAMES = new ConcurrentHashMap<>();

    /**
     * The lock class of the monitors of {@code type} (or of its {@code Class} object). Named by the
     * Java class; when another loader already defined a class of that name, both lock classes are
     * named with their loader, so a report never reads "X while holding X" for two classes.
     */
    private static LockClass monitorLockClass(Class<?> type, boolean classObject, boolean jdkType) {
        Lockdep e = Hooks.engine();
        if (e == null) {
            return null;
        }
        String name = type.getName() + (classObject ? ".class" : "");
        MonitorKey key = new MonitorKey(type, classObject);
        LockClass cls = jdkType
                ? e.nestableLockClass(key, name, LockClass.Kind.MONITOR)
                : e.lockClass(key, name, LockClass.Kind.MONITOR);
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

    /**
     * The engine's key of a monitor class. The keys' {@code equals} and {@code hashCode} are
     * written out: a record's generated ones bootstrap {@code ObjectMethods} at the first monitor,
     * about 25 ms of a cold JVM's start-up.
     */
    private record MonitorKey(Class<?> type, boolean classObject) {
        @Override
        public boolean equals(Object o) {
            return o instanceof MonitorKey k && k.type == type && k.classObject == classObject;
        }

        @Override
        public int hashCode() {
            return type.hashCode() * 2 + (classObject ? 1 : 0);
        }
    }

    /**
     * The number of the site "monitor read from field {@code owner.field}" (an application class's
     * field), for {@link #monitorEnter}: called by the instrumentation as it rewrites the class.
     */
    public static int fieldSite(String owner, String field) {
        return FIELD_SITES.number(owner + "." + field, Lockdep.isJdkClass(owner));
    }

    /**
     * The number of the site "a monitor the code of {@code owner} locks without having read it from
     * a field" (a local, a parameter, a fresh object), passed to {@link #monitorEnter} negated.
     */
    public static int codeSite(String owner) {
        return CODE_SITES.number(owner, Lockdep.isJdkClass(owner));
    }

    /**
     * The class of a JDK-typed monitor first locked by {@code owner}'s code, not read from a
     * field: no coarser than the class that uses it ({@code java.lang.Object locked in com.example.Foo}).
     * In the JDK's code, a private lock object of the JDK: one of its internal locks.
     */
    private static LockClass codeClass(int site, Class<?> type) {
        String owner = CODE_SITES.name(site);
        Lockdep e = Hooks.engine();
        if (owner == null || e == null) {
            return null;
        }
        CodeKey key = new CodeKey(owner, type);
        String name = type.getName() + " locked in " + owner;
        return CODE_SITES.inJdk(site)
                ? e.internalLockClass(key, name, LockClass.Kind.MONITOR) // a JDK class's private lock object
                : e.lockClass(key, name, LockClass.Kind.MONITOR);
    }

    /** The engine's key of the monitors of one JDK type first locked by one class's code. */
    private record CodeKey(String owner, Class<?> type) {
        @Override
        public boolean equals(Object o) {
            return o instanceof CodeKey k && k.owner.equals(owner) && k.type == type;
        }

        @Override
        public int hashCode() {
            return owner.hashCode() * 31 + type.hashCode();
        }
    }

    /** The lock class of a field site, made at its first use; one of the JDK's internal locks for a JDK field. */
    private static LockClass siteClass(int site) {
        LockClass[] classes = siteClasses;
        LockClass cls = site < classes.length ? classes[site] : null;
        if (cls != null) {
            return cls;
        }
        synchronized (MonitorHooks.class) {
            Lockdep e = Hooks.engine();
            String name = FIELD_SITES.name(site);
            if (e == null || name == null) {
                return null;
            }
            String named = namedFields.get(name);
            cls = named != null
                    ? Hooks.namedClass(e, named, LockClass.Kind.MONITOR)
                    : FIELD_SITES.inJdk(site)
                            ? e.internalLockClass(new FieldKey(name), name, LockClass.Kind.MONITOR)
                            : e.lockClass(new FieldKey(name), name, LockClass.Kind.MONITOR);
            classes = siteClasses;
            if (site >= classes.length) {
                classes = java.util.Arrays.copyOf(classes, Math.max(site + 1, classes.length * 2));
            } else {
                classes = classes.clone();
            }
            classes[site] = cls;
            siteClasses = classes;
            return cls;
        }
    }

    /** The engine's key of a field's monitor class. */
    private record FieldKey(String field) {
        @Override
        public boolean equals(Object o) {
            return o instanceof FieldKey k && k.field.equals(field);
        }

        @Override
        public int hashCode() {
            return field.hashCode();
        }
    }

    /**
     * A monitor's class, as the kernel keys a lock by where it is defined. An application type's
     * monitors ({@code synchronized (this)}, synchronized methods, {@code synchronized (registry)})
     * are the type's class. A {@code Class} object used as a monitor ({@code static synchronized},
     * {@code synchronized (Foo.class)}) is a class of its own per Java class. A monitor of a JDK
     * type ({@code new Object()}, a {@code HashMap} used as a lock) is never lumped with every other
     * one of its type: the first time it is locked it gets the class of the application field it
     * was read from ({@code com.example.Cache.lock}), or else of the class whose code locked it
     * ({@code java.lang.Object locked in com.example.Foo}), or else (no site known) its type's, and
     * keeps it, however it is reached later. A monitor of a JDK type other than {@code Object}
     * taken by the JDK's own code ({@code Hashtable.put}, {@code PrintStream.println}) has its
     * type's class ({@code java.util.Hashtable}) unless application code gave it one; the JDK's
     * {@code Object} locks are named by their field ({@code java.util.TimerTask.lock}) or the JDK
     * class that locks them.
     *
     * @param site the field the monitor was read from ({@link #fieldSite}), minus the class whose
     *     code locks it ({@link #codeSite}), or 0
     */
    private static LockClass monitorClass(Object monitor, int site) {
        return monitorClass(monitor, site, null);
    }

    /** {@link #monitorClass(Object, int)}, with the owner of the field (or null): see {@link #ownersSite}. */
    private static LockClass monitorClass(Object monitor, int site, Object owner) {
        if (monitor instanceof Class) {
            return CLASS_MONITOR_CLASS.get((Class<?>) monitor);
        }
        TypeClass type = MONITOR_CLASS.get(monitor.getClass());
        if (!type.perInstance) {
            if (instanceClasses) {
                LockTable.Entry known = INSTANCES.get(monitor);
                if (known != null) {
                    return known.cls;
                }
                String field = FIELD_SITES.name(site);
                LockClass cls = field == null || !namedFields.containsKey(field) ? null : siteClass(site);
                if (cls != null) {
                    return INSTANCES.putIfAbsent(monitor, cls, null).cls;
                }
            }
            MonitorRoles roles = type.roles;
            Lockdep e = roles == null ? null : Hooks.engine();
            // the fast path: a type made at one site is one class
            return e == null || type.cls == null ? type.cls : roles.classOf(e, monitor);
        }
        if (site == 0 || monitor.getClass() != Object.class && jdkSite(site)) {
            // a JDK type's monitor taken by the JDK's own code (Hashtable.put, a Vector iterator):
            // its type's class, unless application code that locked it gave it one
            if (!type.lockedByJdk) {
                type.lockedByJdk = true;
            }
            if (type.pinned) {
                LockTable.Entry known = INSTANCES.get(monitor);
                if (known != null) {
                    return known.cls;
                }
            }
            return JDK_TYPE_CLASS.get(monitor.getClass());
        }
        if (site < 0 && site == classLoadingSite && monitor.getClass() == Object.class) {
            return null; // a parallel-capable loader's lock for one class name: not tracked
        }
        LockTable.Entry known = INSTANCES.get(monitor);
        if (known != null) {
            return known.cls;
        }
        if (site < 0 && type.lockedByJdk) {
            return JDK_TYPE_CLASS.get(monitor.getClass()); // the class the JDK's code gives its instances
        }
        LockClass cls = site > 0 ? siteClass(ownersSite(site, owner)) : codeClass(-site, monitor.getClass());
        if (cls == null) {
            cls = JDK_TYPE_CLASS.get(monitor.getClass());
        }
        if (cls == null) {
            return null;
        }
        type.pinned = true;
        return INSTANCES.putIfAbsent(monitor, cls, null).cls;
    }

    /**
     * The (negated) code site of {@code java.lang.ClassLoader}, whose {@code Object} monitors are
     * the class-loading locks of parallel-capable loaders: one per class name, made as names are
     * loaded. One lock class for all of them would report a cycle between loading two different
     * classes, which cannot deadlock; so they are not tracked (the watchdog's JVM check still sees
     * them). A loader that is not parallel-capable locks itself, and is tracked with its type's
     * class: two such loaders delegating to each other in both orders are the classic
     * class-loading deadlock.
     */
    private static final int classLoadingSite = -codeSite("java.lang.ClassLoader");

    /** Whether a site ({@link #fieldSite}, or a negated {@link #codeSite}) is in the JDK's code. */
    private static boolean jdkSite(int site) {
        return site > 0 ? FIELD_SITES.inJdk(site) : CODE_SITES.inJdk(-site);
    }

    /**
     * Before {@code monitorenter}: checked before it can block. {@code site}: see
     * {@link #monitorClass}; {@code at}: where in the code ({@link CodeLocations}), or 0.
     */
    public static void monitorEnter(Object monitor, int site, int at) {
        monitorEnter(monitor, null, site, at);
    }

    /**
     * Before {@code monitorenter} of a monitor read from a field of {@code owner} ({@code this};
     * null when not known), as {@link #monitorEnter(Object, int, int)}: a field declared in a base class is keyed by the class of the
     * object it belongs to (issue 28: the outer pool's eviction lock and the inner pool's, one
     * field of their shared base class, are two roles).
     */
    public static void monitorEnter(Object monitor, Object owner, int site, int at) {
        Lockdep e = Hooks.engine();
        if (e != null && monitor != null) {
            e.acquire(
                    monitor,
                    monitorClass(monitor, site, owner),
                    Lockdep.WRITE,
                    Lockdep.REENTRANT,
                    null,
                    CodeLocations.at(at));
        }
    }

    /**
     * The field site {@code site} as seen on {@code owner}: the same field named after the
     * owner's own class when that is a subclass of the class the code names it by (the name
     * javac gives a field read in the subclass's own code), unless a spec names the field.
     */
    private static int ownersSite(int site, Object owner) {
        String name = FIELD_SITES.name(site);
        if (owner == null || name == null || namedFields.containsKey(name)) {
            return site;
        }
        int dot = name.lastIndexOf('.');
        String runtime = owner.getClass().getName();
        if (runtime.equals(name.substring(0, dot))) {
            return site;
        }
        return fieldSite(runtime, name.substring(dot + 1));
    }

    /**
     * A constructor of a class with synchronized instance methods ran its {@code super(...)}
     * call: where {@code object} is made is its monitor's role ({@link MonitorRoles}). Allocation
     * time only: a stack walk, and for an object of a type made at several sites an entry in a
     * weak table.
     */
    public static void made(Object object) {
        if (object == null || Hooks.engine() == null) {
            return;
        }
        Class<?> c = object.getClass();
        TypeClass type = MONITOR_CLASS.get(c);
        if (type.perInstance || type.cls == null) {
            return;
        }
        MonitorRoles roles = type.roles;
        if (roles == null || !roles.isSplit()) {
            if (type.walked >= MonitorRoles.WALKS) {
                return; // made where its first objects were, as far as anyone can tell
            }
            type.walked++; // racy: a few walks more or less
        }
        StackWalker.StackFrame maker = MonitorRoles.maker(c);
        if (maker == null) {
            return;
        }
        MonitorRoles.Site first = type.firstSite;
        if (first == null) {
            synchronized (type) {
                first = type.firstSite;
                if (first == null) {
                    type.firstSite = new MonitorRoles.Site(maker);
                    return;
                }
            }
        }
        if (first.is(maker)) {
            return;
        }
        MonitorRoles.madeElsewhere(object, new MonitorRoles.Site(maker).name);
        if (type.roles == null) {
            synchronized (type) {
                if (type.roles == null) {
                    type.roles = new MonitorRoles(c, type.cls, first);
                    Lockdep e = Hooks.engine();
                    if (e != null) {
                        e.rolesUndecided(type.cls, true);
                    }
                }
            }
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
            Object pending = e.acquireBlocking(monitor, monitorClass(monitor, 0), Lockdep.WRITE, Lockdep.REENTRANT);
            if (pending != null) {
                e.acquiredBlocking(pending, monitor); // the JVM holds it already: settled at once
            }
        }
    }

    /**
     * Before {@code monitorexit}, or the exit of a {@code synchronized} method: released if the
     * thread holds it; the exit of a monitor whose entry was not tracked (a class-loading lock,
     * one taken before the agent started) is dropped. Never throws, even in fail mode: javac's handler that releases a monitor covers its own {@code monitorexit}, so
     * a throw here would loop. (Structured monitors cannot be released unbalanced anyway; the
     * report still goes out.)
     */
    public static void monitorExit(Object monitor) {
        Lockdep e = Hooks.engine();
        if (e != null && monitor != null) {
            try {
                e.releaseMonitor(monitor);
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
                e.reacquire(monitor, monitorClass(monitor, 0), Lockdep.WRITE, holds);
            }
        }
    }
}
