package io.jlockdep.agent.hook;

import io.jlockdep.agent.engine.LockClass;
import io.jlockdep.agent.engine.Lockdep;
import java.util.Iterator;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Stream;

/**
 * The roles of an application type's monitors (issue 28): where each of its objects was made.
 * The kernel keys a lock by where it is defined and leaves two roles of one key to annotations
 * ({@code mutex_lock_nested}, {@code lockdep_set_class}); jlockdep tells the roles apart itself,
 * from what the program shows.
 *
 * <p>DBCP's connection pool keeps each connection in a {@code DefaultPooledObject}, and each
 * connection's statement pool keeps each statement in another {@code DefaultPooledObject}: the
 * outer pool invalidates a connection under its pooled object's monitor, which closes the
 * statement pool (its {@code closeLock}), which locks each statement's pooled object. One type,
 * so one class, and {@code DefaultPooledObject -> closeLock -> DefaultPooledObject} is a cycle of
 * classes, though the outer objects are always taken before the inner ones.
 *
 * <p>A type whose instances are made at one site keeps one class: nothing here costs it more
 * than a stack walk per object made, for its first {@link #WALKS} objects (constructors of
 * classes with synchronized instance methods call {@link MonitorHooks#made}), and nothing per
 * acquisition. A type made at several sites is
 * still one class until the program nests two of its objects made at two sites: one thread
 * holding an object made at one site while it takes one made at another. That is what two
 * roles are (outer and inner, as the kernel's subclasses are), and from then on each site is a
 * class of its own ({@code DefaultPooledObject made at PoolingConnection.makeObject(...)}); the
 * object held at that moment gets its site's class too ({@link Lockdep#reclassHeld}), with the
 * dependency to the lock taken right after it. Objects of one type that never nest keep one
 * class: two tests that each make their own objects at their own lines and take them in
 * opposite orders are still the cycle one shared pair would deadlock on.
 *
 * <p>What a role class can hide: a cycle whose dependencies were recorded partly on the type's
 * class before its split and partly on role classes after it. It is found when the part
 * recorded before runs again, as each new run of a chain is validated anew.
 *
 * <p>Per type: the first site seen, and the objects made elsewhere in a weak identity table
 * (an object made at the first site has no entry, so a type made at one site stores nothing per
 * object). An object made without a constructor call (deserialised, cloned) counts as made at
 * the first site.
 */
final class MonitorRoles {

    /**
     * The objects of a type whose stack is walked to find where each was made, unless the type
     * was split into roles (then every one is): a stack walk costs microseconds, and DBCP's tests
     * make a few hundred thousand JDBC wrappers with synchronized methods (a fifth of the test
     * JVM's CPU when every one was walked). An object made later is taken to be made at its
     * type's first site: one class with the objects made there, as without roles.
     */
    static final int WALKS = 4096;

    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    /** The hooks' own frames: never where an object was made. */
    private static final String HOOKS_PACKAGE = MonitorRoles.class.getPackageName() + ".";

    /** The objects made at another site than their type's first: the site's name, weakly by object. */
    private static final LockTable MADE = new LockTable();

    /** Where an object was made: the frame of the code that made it. */
    static final class Site {
        private final Class<?> type;
        private final String method;
        private final int bci;
        final String name;

        Site(StackWalker.StackFrame f) {
            this.type = f.getDeclaringClass();
            this.method = f.getMethodName();
            this.bci = f.getByteCodeIndex();
            this.name = f.toStackTraceElement().toString();
        }

        boolean is(StackWalker.StackFrame f) {
            return f.getDeclaringClass() == type
                    && f.getByteCodeIndex() == bci
                    && f.getMethodName().equals(method);
        }
    }

    /**
     * The frame that made an object of {@code type} whose constructor called the hook: past the
     * hooks, the constructors of the object's own classes ({@code super(...)}, {@code this(...)})
     * and the JDK's frames right above them (reflection, method handles); null if none is found.
     * A class, not a lambda: it can run while a class initialiser makes an object.
     */
    private static final class Maker implements Function<Stream<StackWalker.StackFrame>, StackWalker.StackFrame> {
        private final Class<?> type;

        Maker(Class<?> type) {
            this.type = type;
        }

        @Override
        public StackWalker.StackFrame apply(Stream<StackWalker.StackFrame> frames) {
            Iterator<StackWalker.StackFrame> it = frames.iterator();
            boolean pastConstructors = false;
            while (it.hasNext()) {
                StackWalker.StackFrame f = it.next();
                String c = f.getClassName();
                if (c.startsWith(HOOKS_PACKAGE)) {
                    continue;
                }
                if (!pastConstructors
                        && f.getMethodName().equals("<init>")
                        && f.getDeclaringClass().isAssignableFrom(type)) {
                    continue;
                }
                pastConstructors = true;
                if (Lockdep.isJdkClass(c) && it.hasNext()) {
                    continue; // Constructor.newInstance, a method handle: the maker is further up
                }
                return f;
            }
            return null;
        }
    }

    /** The frame that made the object of {@code type} being constructed now, or null. */
    static StackWalker.StackFrame maker(Class<?> type) {
        return WALKER.walk(new Maker(type));
    }

    private final Class<?> type;
    /** The type's one class, until the split. */
    private final LockClass typeClass;

    private final Site first;
    /** Whether two objects made at two sites were seen nested: each site is a class from then on. */
    private volatile boolean split;

    private final ConcurrentHashMap<String, LockClass> classes = new ConcurrentHashMap<>();

    MonitorRoles(Class<?> type, LockClass typeClass, Site first) {
        this.type = type;
        this.typeClass = typeClass;
        this.first = first;
    }

    /** An object of this type was made at {@code site}, not the first site. */
    static void madeElsewhere(Object object, String site) {
        MADE.put(object, null, site);
    }

    /** Whether two objects made at two sites were seen nested: each site is a class of its own. */
    boolean isSplit() {
        return split;
    }

    private String siteOf(Object object) {
        LockTable.Entry made = MADE.get(object);
        return made == null ? first.name : made.name;
    }

    /**
     * The class of {@code monitor} (an object of this type) taken now: its site's class once the
     * type is split, or now if the thread holds another of its objects made at another site
     * (which then takes its own site's class); else the type's class.
     */
    LockClass classOf(Lockdep e, Object monitor) {
        Object other = e.heldOther(typeClass, monitor);
        if (other != null && other.getClass() == type) {
            String otherSite = siteOf(other);
            if (split || !otherSite.equals(siteOf(monitor))) {
                if (!split) {
                    split = true;
                    e.rolesUndecided(typeClass, false); // the cycles that waited on it were the roles'
                }
                e.reclassHeld(other, roleClass(e, otherSite));
            }
        }
        return split ? roleClass(e, siteOf(monitor)) : typeClass;
    }

    private LockClass roleClass(Lockdep e, String site) {
        LockClass cls = classes.get(site);
        if (cls != null) {
            return cls;
        }
        cls = e.lockClass(new RoleKey(type, site), type.getName() + " made at " + site, LockClass.Kind.MONITOR);
        if (cls == null) {
            return typeClass; // the engine's class cap
        }
        LockClass known = classes.putIfAbsent(site, cls);
        return known != null ? known : cls;
    }

    /** The engine's key of a role class. */
    private record RoleKey(Class<?> type, String site) {
        @Override
        public boolean equals(Object o) {
            return o instanceof RoleKey k && k.type == type && k.site.equals(site);
        }

        @Override
        public int hashCode() {
            return type.hashCode() * 31 + site.hashCode();
        }
    }
}
