package io.jlockdep.agent.hook;

import io.jlockdep.agent.engine.ApiRule;
import io.jlockdep.agent.engine.LockClass;
import io.jlockdep.agent.engine.Lockdep;
import io.jlockdep.agent.engine.LockdepConfig;
import io.jlockdep.agent.spec.LockPath;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * What the instrumentation's inserted calls reach: a static facade that translates bytecode
 * events into engine events and nothing more. It lives on the bootstrap class path with the
 * engine, so a call inserted into any class (application or JDK) can reach it. This class holds the engine and the hooks of
 * the JDK's lock classes ({@code java.util.concurrent}), the spec rules and thread end; monitors
 * have {@link MonitorHooks} and reservation locks {@link WwHooks}.
 */
public final class Hooks {

    private static volatile Lockdep engine;
    private static volatile Entry[] entries = new Entry[0];

    static {
        if (Hooks.class.getClassLoader() != null) {
            foreignCopyLoaded();
        }
    }

    private Hooks() {}

    /**
     * This class was defined by a class loader other than the boot loader: a child-first loader
     * (PowerMock's, a web application's) found the agent jar on its path and made its own copy of
     * the hooks, so the classes it loads report into a copy that no engine ever starts, and their
     * locks go unchecked. Said at once: to the real engine, which records a notice and prints it;
     * on stderr directly when no engine runs in the boot loader.
     */
    private static void foreignCopyLoaded() {
        ClassLoader loader = Hooks.class.getClassLoader();
        String who = loader.getClass().getName() + (loader.getName() == null ? "" : " '" + loader.getName() + "'") + "@"
                + Integer.toHexString(System.identityHashCode(loader));
        boolean told;
        try {
            told = (Boolean) Class.forName(Hooks.class.getName(), true, null)
                    .getMethod("foreignCopy", String.class)
                    .invoke(null, who);
        } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
            told = false; // no agent in the boot loader
        }
        if (!told) {
            System.err.println("jlockdep: " + foreignCopyText(who));
        }
    }

    private static String foreignCopyText(String loader) {
        return "class loader " + loader + " defined its own copy of jlockdep's hooks: locks in the classes it loads"
                + " are not checked (make it leave io.jlockdep.* to its parent; with PowerMock:"
                + " @PowerMockIgnore(\"io.jlockdep.*\"))";
    }

    /**
     * Called from a copy of this class in another loader ({@link #foreignCopyLoaded}): a notice,
     * printed and in the report. Returns whether an engine took it.
     */
    public static boolean foreignCopy(String loader) {
        Lockdep e = engine;
        if (e == null) {
            return false;
        }
        e.addNotice(foreignCopyText(loader));
        return true;
    }

    /** One instrumented method of a specification rule. */
    public static final class Entry {
        final ApiRule rule;
        final PathResolver lock;

        /** The rule checked on entry to the method, and the path from its root object to the lock. */
        public Entry(ApiRule rule, LockPath path, Getters getters) {
            this.rule = rule;
            this.lock = new PathResolver(path, rule.id(), getters);
        }
    }

    /**
     * What the installer hands the hooks, once, before any advice runs.
     *
     * @param engine the engine every hook reports to
     * @param specEntries the spec rules' methods, indexed as their advice was bound ({@link EntryIndex})
     * @param startedWithJvm whether the agent started with the JVM ({@code premain}): locks
     *     allocated before it are then the JDK's own
     * @param semaphores whether {@code Semaphore(1)} is tracked as a lock (option {@code semaphores})
     * @param allocatedIn the specs' {@code class ... allocated-in}: lock class name by {@code Owner.method}
     * @param fields the specs' {@code class ... field}: lock class name by {@code Owner.field}
     */
    public record Settings(
            Lockdep engine,
            List<Entry> specEntries,
            boolean startedWithJvm,
            boolean semaphores,
            Map<String, String> allocatedIn,
            Map<String, String> fields) {
        public Settings {
            allocatedIn = Map.copyOf(allocatedIn);
            fields = Map.copyOf(fields);
        }
    }

    /** Starts the hooks: from now on advice reports to {@code settings.engine()}. */
    public static void install(Settings settings) {
        entries = settings.specEntries().toArray(new Entry[0]);
        startedWithJvm = settings.startedWithJvm();
        SemaphoreHooks.enabled = settings.semaphores();
        allocatedIn = settings.allocatedIn();
        MonitorHooks.nameFields(settings.fields());
        engine = settings.engine();
    }

    /** The specs' lock class names by allocating method ({@code Owner.method}). */
    private static volatile Map<String, String> allocatedIn = Map.of();

    /** The engine's key of a lock class given by name (a spec's {@code class}, {@link #setLockClass}): one class per name. */
    private record NamedClass(String name) {
        @Override
        public boolean equals(Object o) { // written out, as MonitorHooks' keys are: no ObjectMethods bootstrap
            return o instanceof NamedClass k && k.name.equals(name);
        }

        @Override
        public int hashCode() {
            return name.hashCode();
        }
    }

    /** The lock class called {@code name}, made at its first use: the kernel's {@code lockdep_set_class_and_name} key. */
    static LockClass namedClass(Lockdep e, String name, LockClass.Kind kind) {
        return e.lockClass(new NamedClass(name), name, kind);
    }

    /**
     * {@code Jlockdep.setClass}: {@code lock} belongs to the lock class {@code name} from now on
     * (lockdep_set_class_and_name). A JDK lock is re-keyed in the table of JDK locks; any other
     * object is a monitor and keeps the class for its lifetime. A reservation lock's class is its
     * ww class and cannot be set.
     *
     * @throws IllegalArgumentException for a reservation lock
     */
    public static void setLockClass(Object lock, String name) {
        Lockdep e = engine;
        if (e == null) {
            return;
        }
        String type = lock.getClass().getName();
        if (type.equals("io.jlockdep.resv.ReservationLock")) {
            throw new IllegalArgumentException("a ReservationLock's lock class is its WwClass (the kernel's ww_class):"
                    + " make it with another WwClass instead of setting its class");
        }
        LockClass.Kind kind;
        Object key;
        if (lock instanceof ReentrantLock
                || lock instanceof ReentrantReadWriteLock
                || lock instanceof ReentrantReadWriteLock.ReadLock
                || lock instanceof ReentrantReadWriteLock.WriteLock) {
            key = canonical(lock);
            kind = lock instanceof ReentrantLock ? LockClass.Kind.MUTEX : LockClass.Kind.RWLOCK;
        } else if (lock instanceof java.util.concurrent.locks.StampedLock) {
            key = lock;
            kind = LockClass.Kind.RWLOCK;
        } else if (lock instanceof java.util.concurrent.Semaphore
                || lock instanceof java.util.concurrent.ConcurrentHashMap) {
            LockTable.Entry known = JDK_LOCKS.get(lock);
            if (known == null) {
                throw new IllegalArgumentException(type + " " + LockdepConfig.identityName(lock)
                        + " is not tracked (a counting semaphore, or allocated before jlockdep started):"
                        + " it has no lock class to set");
            }
            key = lock;
            kind = known.cls.kind();
        } else {
            MonitorHooks.setClass(lock, namedClass(e, name, LockClass.Kind.MONITOR));
            return;
        }
        if (key == null) {
            throw new IllegalArgumentException("cannot read the lock of " + LockdepConfig.identityName(lock));
        }
        LockClass cls = namedClass(e, name, kind);
        if (cls != null) {
            LockTable.Entry known = JDK_LOCKS.get(key);
            String simple = type.substring(type.lastIndexOf('.') + 1);
            JDK_LOCKS.put(
                    key,
                    cls,
                    known != null ? known.name : simple + "@" + Integer.toHexString(System.identityHashCode(lock)),
                    known != null ? known.creator() : 0);
        }
    }

    // A JDK lock is tracked by its sync, which its views and conditions share; a spec path that
    // reaches the ReentrantLock (or a view) is mapped to it. Set up once the agent has opened
    // java.util.concurrent.locks to itself; until then, or if that failed, null.
    private static MethodHandle reentrantSync;
    private static MethodHandle rwSync;
    private static MethodHandle readSync;
    private static MethodHandle writeSync;

    /** Called by the installer after opening {@code java.util.concurrent.locks} to the agent. */
    public static void initSyncAccess() throws ReflectiveOperationException {
        reentrantSync = syncGetter(ReentrantLock.class);
        rwSync = syncGetter(ReentrantReadWriteLock.class);
        readSync = syncGetter(ReentrantReadWriteLock.ReadLock.class);
        writeSync = syncGetter(ReentrantReadWriteLock.WriteLock.class);
    }

    private static MethodHandle syncGetter(Class<?> type) throws ReflectiveOperationException {
        Field f = type.getDeclaredField("sync");
        f.setAccessible(true);
        return MethodHandles.lookup().unreflectGetter(f).asType(MethodType.methodType(Object.class, Object.class));
    }

    /**
     * The identity the engine tracks {@code lock} by: a JDK lock's sync, anything else itself.
     * Null (not checked) for a JDK lock whose sync cannot be read.
     */
    static Object canonical(Object lock) {
        MethodHandle sync;
        if (lock instanceof ReentrantLock) {
            sync = reentrantSync;
        } else if (lock instanceof ReentrantReadWriteLock) {
            sync = rwSync;
        } else if (lock instanceof ReentrantReadWriteLock.ReadLock) {
            sync = readSync;
        } else if (lock instanceof ReentrantReadWriteLock.WriteLock) {
            sync = writeSync;
        } else {
            return lock;
        }
        if (sync == null) {
            return null;
        }
        try {
            return (Object) sync.invokeExact(lock);
        } catch (Throwable e) {
            return null;
        }
    }

    /** The engine the agent installed, or null when none runs. */
    public static Lockdep engine() {
        return engine;
    }

    // ------------------------------------------------------------------ JDK locks

    private static final LockTable JDK_LOCKS = new LockTable();
    private static final StackWalker WALKER = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    /**
     * Lock wrappers: classes whose instances each wrap one lock and hand it out held (Jetty's
     * {@code AutoLock}, a user's {@code Guarded<T>}), found in their bytecode by the instrumentation
     * or named by the user. A lock allocated inside one belongs to the site that allocated the
     * wrapper, not to the wrapper's own constructor, which every instance shares.
     */
    private static final Set<String> WRAPPERS = ConcurrentHashMap.newKeySet();

    /** Adds a lock wrapper class (binary name). */
    public static void addWrapper(String className) {
        WRAPPERS.add(className);
    }

    /** Whether {@code type} is a lock wrapper or extends one. */
    private static boolean isWrapper(Class<?> type) {
        for (Class<?> t = type; t != null && t != Object.class; t = t.getSuperclass()) {
            if (WRAPPERS.contains(t.getName())) {
                return true;
            }
        }
        return false;
    }
    /**
     * The hooks' package: its frames (Hooks, SemaphoreHooks ...) are never an allocation site,
     * except a static initializer there, which allocates the agent's own locks.
     */
    private static final String HOOKS_PACKAGE = Hooks.class.getPackageName() + ".";

    /**
     * A {@code ReentrantLock} or {@code ReentrantReadWriteLock} was constructed: its class is its
     * allocation site (the first frame outside the lock's own constructors and the agent). The
     * instance is keyed by its {@code sync}, which its read and write views and its conditions
     * share.
     */
    public static void jdkLockCreated(Object lockObject, Object sync, boolean readWrite) {
        Lockdep e = engine;
        if (e == null || sync == null) {
            return;
        }
        String type = lockObject.getClass().getName();
        register(
                e,
                sync,
                lockObject,
                type.substring(type.lastIndexOf('.') + 1),
                readWrite ? LockClass.Kind.RWLOCK : LockClass.Kind.MUTEX);
    }

    /** Whether the agent started with the JVM (premain), so that only the JDK allocated locks before it. */
    static volatile boolean startedWithJvm = true;

    /** The types whose instances allocated before the agent started share one class each. */
    private static final int EARLY_REENTRANT = 0;

    private static final int EARLY_READ_WRITE = 1;
    private static final int EARLY_MAP = 2;
    private static final String[] EARLY_NAMES = {
        "ReentrantLock allocated before jlockdep started",
        "ReentrantReadWriteLock allocated before jlockdep started",
        "ConcurrentHashMap allocated before jlockdep started"
    };
    private static final LockClass.Kind[] EARLY_KINDS = {
        LockClass.Kind.MUTEX, LockClass.Kind.RWLOCK, LockClass.Kind.MUTEX
    };
    private static final LockClass[] EARLY = new LockClass[EARLY_NAMES.length];

    /**
     * The class of the locks of one type allocated before the agent started: the JDK's own when the
     * agent started with the JVM; when it was attached later, the application's too, so not
     * internal. Made once (a racing second lookup finds the same class in the engine).
     */
    private static LockClass earlyClass(Lockdep e, int which) {
        LockClass c = EARLY[which];
        if (c == null) {
            String name = EARLY_NAMES[which];
            c = startedWithJvm
                    ? e.internalLockClass(name, name, EARLY_KINDS[which])
                    : e.lockClass(name, name, EARLY_KINDS[which]);
            EARLY[which] = c;
        }
        return c;
    }

    /** The class of a JDK lock, or one class per lock type for locks allocated before the agent started. */
    private static LockClass jdkClass(Lockdep e, Object sync, boolean readWrite) {
        return jdkClass(e, JDK_LOCKS.get(sync), readWrite);
    }

    /** {@link #jdkClass(Lockdep, Object, boolean)} of the lock whose entry was looked up ({@code entry}, or null). */
    private static LockClass jdkClass(Lockdep e, LockTable.Entry entry, boolean readWrite) {
        return entry != null ? entry.cls : earlyClass(e, readWrite ? EARLY_READ_WRITE : EARLY_REENTRANT);
    }

    /**
     * Entry of a blocking JDK lock call ({@code lock}, {@code lockInterruptibly}): checked before
     * it can block. Returns the token {@link #jdkLockAcquired} settles, or null.
     */
    public static Object jdkLockEnter(Object sync, int read, boolean readWrite) {
        Lockdep e = engine;
        if (e != null && sync != null) {
            LockTable.Entry entry = JDK_LOCKS.get(sync);
            return e.acquireBlocking(sync, jdkClass(e, entry, readWrite), read, Lockdep.REENTRANT | privacy(e, entry));
        }
        return null;
    }

    /**
     * Exit of a blocking JDK lock call: {@code thrown} is null when it returned; {@code token} is
     * what {@link #jdkLockEnter} returned.
     */
    public static void jdkLockAcquired(Throwable thrown, Object sync, Object token) {
        Lockdep e = engine;
        if (e == null || sync == null || token == null) {
            return; // nothing was left pending (re-entry, an event the engine ignored)
        }
        if (thrown == null) {
            e.acquiredBlocking(token, sync);
        } else {
            e.failed(sync, null, Lockdep.FAILED);
        }
    }

    /** Exit of a blocking JDK lock call (also a StampedLock's or a Semaphore's): {@code thrown} is null when it returned. */
    public static void jdkLockExit(Throwable thrown, Object sync) {
        Lockdep e = engine;
        if (e == null || sync == null) {
            return;
        }
        if (thrown == null) {
            e.acquired(sync);
        } else {
            e.failed(sync, null, Lockdep.FAILED);
        }
    }

    /**
     * Exit of {@code tryLock()} or {@code tryLock(timeout)}: a success is a trylock acquisition
     * (a timed wait gives up, so it cannot deadlock and adds no dependency).
     */
    public static void jdkTryLockExit(boolean success, Object sync, int read, boolean readWrite) {
        Lockdep e = engine;
        if (e != null && success && sync != null) {
            e.acquire(sync, jdkClass(e, sync, readWrite), read, Lockdep.TRYLOCK | Lockdep.REENTRANT, null, null);
        } else if (e != null) {
            e.dropCallSite(); // the call's site (LockCallSites) goes with the call
        }
    }

    /**
     * Entry of a JDK {@code unlock()}: the engine's hold released. Returns 0 when the engine holds
     * no such lock, for {@link #jdkUnlockThrown} (1 otherwise): whether that is a bad unlock is
     * the JDK's to say, since a lock taken before the agent started tracking (an agent attached
     * at run time) is held without the engine knowing it.
     */
    public static int jdkUnlock(Object sync, int read) {
        Lockdep e = engine;
        return e == null || sync == null || e.releaseIfHeld(sync, read) ? 1 : 0;
    }

    /**
     * A JDK {@code unlock()} threw: when the engine held no such lock and the JDK refused the unlock
     * ({@code IllegalMonitorStateException}), a {@code lockdep/bad-unlock-balance}.
     */
    public static void jdkUnlockThrown(Throwable thrown, Object sync, int read, boolean readWrite, int held) {
        Lockdep e = engine;
        if (e != null && sync != null && held == 0 && thrown instanceof IllegalMonitorStateException) {
            e.release(sync, jdkClass(e, sync, readWrite), read);
        }
    }

    /** Entry of {@code Condition.await*}: the lock is given up entirely. Returns the holds to restore. */
    public static int awaitEnter(Object sync) {
        Lockdep e = engine;
        return e == null || sync == null ? 0 : e.releaseAll(sync);
    }

    /** Exit of {@code Condition.await*}: the lock is held again, however the wait ended. */
    public static void awaitExit(Object sync, int holds) {
        Lockdep e = engine;
        if (e != null && holds > 0) {
            LockTable.Entry entry = JDK_LOCKS.get(sync);
            boolean rw = entry != null && entry.cls.kind() == LockClass.Kind.RWLOCK;
            e.reacquire(sync, jdkClass(e, sync, rw), Lockdep.WRITE, holds);
        }
    }

    // ------------------------------------------------------------------ StampedLock (Semaphore(1): SemaphoreHooks)

    /** A StampedLock was constructed: its class is its allocation site. */
    public static void stampedCreated(Object lock) {
        Lockdep e = engine;
        if (e != null) {
            register(e, lock, lock, "StampedLock", LockClass.Kind.RWLOCK);
        }
    }

    /** The class of a tracked lock of {@code JDK_LOCKS}, or null (untracked: allocated before the agent, or a counting semaphore). */
    static LockClass trackedClass(Object lock) {
        LockTable.Entry entry = tracked(lock);
        return entry == null ? null : entry.cls;
    }

    /** The entry of a tracked lock, or null. */
    static LockTable.Entry tracked(Object lock) {
        return JDK_LOCKS.get(lock);
    }

    /** Entry of a blocking StampedLock acquisition (not re-entrant). */
    public static void stampedLockEnter(Object lock, int read) {
        Lockdep e = engine;
        LockTable.Entry entry = e == null ? null : tracked(lock);
        if (entry != null && entry.cls != null) {
            e.acquire(lock, entry.cls, read, privacy(e, entry), null, null);
        }
    }

    /** Exit of a try-acquisition of a tracked StampedLock or Semaphore: a success is a trylock. */
    public static void trackedTryExit(boolean success, Object lock, int read) {
        Lockdep e = engine;
        if (e != null && success) {
            LockClass cls = trackedClass(lock);
            if (cls != null && !cls.isSignal()) {
                e.acquire(lock, cls, read, Lockdep.TRYLOCK, null, null);
            }
        } else if (e != null) {
            e.dropCallSite(); // the call's site (LockCallSites) goes with the call
        }
    }

    /** Exit of {@code tryWriteLock} or {@code tryReadLock}: a stamp of 0 is a failure. */
    public static void stampedTryExit(long stamp, Object lock, int read) {
        trackedTryExit(stamp != 0L, lock, read);
    }

    /** Exit of {@code tryUnlockWrite} or {@code tryUnlockRead}: only a true return released anything. */
    public static void stampedTryUnlocked(boolean released, Object lock, int read) {
        if (released) {
            stampedUnlocked(lock, read, stampedUnlock(lock, read));
        }
    }

    /**
     * A StampedLock release (entry of {@code unlockRead}, {@code unlockWrite}, ...): the engine's
     * hold released. Returns 0 when this thread holds no such lock, for {@link #stampedUnlocked}
     * and {@link #stampedUnlockThrown} (1 otherwise): a stamp has no owner, so another thread may
     * release it, and only the lock's refusal makes it a bad unlock.
     */
    public static int stampedUnlock(Object lock, int read) {
        Lockdep e = engine;
        return e == null || e.releaseIfHeld(lock, read) ? 1 : 0;
    }

    /** A StampedLock release returned: a stamp this thread did not hold was another thread's (or taken before the agent). */
    public static void stampedUnlocked(Object lock, int read, int held) {
        Lockdep e = engine;
        if (e != null && held == 0) {
            e.releaseElsewhere(lock, read);
        }
    }

    /** A StampedLock release threw: a stamp nobody held ({@code IllegalMonitorStateException}) is a bad unlock. */
    public static void stampedUnlockThrown(Throwable thrown, Object lock, int read, int held) {
        Lockdep e = engine;
        if (e == null || held != 0 || !(thrown instanceof IllegalMonitorStateException)) {
            return;
        }
        LockClass cls = trackedClass(lock);
        if (cls != null) {
            e.release(lock, cls, read);
        }
    }

    /**
     * Exit of a StampedLock conversion ({@code tryConvertTo*}) to the mode {@code want} (a
     * {@link LockView}'s {@code read}): a stamp other than 0 is a success, and the held mode
     * changes without waiting.
     */
    public static void stampedConverted(long stamp, Object lock, int want) {
        if (stamp == 0L) {
            return;
        }
        Lockdep e = engine;
        LockClass cls = trackedClass(lock);
        if (e == null || cls == null) {
            return;
        }
        int held = e.heldMode(lock);
        if (held == want) {
            return;
        }
        if (held >= 0) {
            e.releaseIfHeld(lock, held);
        }
        if (want >= 0) {
            e.acquire(lock, cls, want, Lockdep.TRYLOCK, null, null);
        }
    }

    /**
     * Where a lock allocated now comes from: the first frame outside the agent, the lock's own
     * constructors and any lock wrapper's code; the outermost wrapper passed on the way (or null);
     * and the wrapper's frame that allocated the lock itself (or null), which tells apart two
     * locks one wrapper allocates (Caffeine's cache allocates its eviction lock and its map).
     */
    private record Allocation(StackTraceElement frame, Class<?> wrapper, StackTraceElement inWrapper, Owner owner) {}

    /**
     * The object whose construction allocated a lock (its field initialiser or constructor body),
     * when that object is itself part of another one, made by a constructor or a static
     * initialiser: its class (the most derived constructor on the stack, so a field declared in
     * a base class is told apart by the subclass built) and where it was made. The same field of
     * two such parts is two roles: a database's system session and its users' sessions, Mockito's
     * two type-caching generators (issue 28). An object made by an ordinary method (a test's
     * {@code new Accounts()}, a factory) gives no role: two tests that each make one and take its
     * locks in opposite orders are the cycle lockdep exists to predict.
     */
    private record Owner(Class<?> type, StackTraceElement madeAt) {}

    private static Allocation allocation(String lockType) {
        return WALKER.walk(frames -> {
            Class<?> wrapper = null;
            StackTraceElement inWrapper = null;
            java.util.Iterator<StackWalker.StackFrame> it = frames.iterator();
            while (it.hasNext()) {
                StackWalker.StackFrame f = it.next();
                String c = f.getClassName();
                if (c.startsWith(HOOKS_PACKAGE) && !f.getMethodName().equals("<clinit>")
                        || c.equals(lockType)
                        || c.startsWith("java.util.concurrent.locks.Reentrant")) {
                    continue;
                }
                if (!WRAPPERS.isEmpty() && isWrapper(f.getDeclaringClass())) {
                    wrapper = f.getDeclaringClass();
                    if (inWrapper == null) {
                        inWrapper = f.toStackTraceElement();
                    }
                    continue;
                }
                Owner owner = f.getMethodName().equals("<init>") && !Lockdep.isJdkClass(c) ? owner(f, it) : null;
                return new Allocation(f.toStackTraceElement(), wrapper, inWrapper, owner);
            }
            return new Allocation(null, wrapper, inWrapper, null);
        });
    }

    /**
     * The owner a constructor frame {@code first} builds, from the frames above it ({@code rest}):
     * up the chain of constructors of that class and its subclasses ({@code super(...)},
     * {@code this(...)}), then past the JDK's frames (reflection, method handles) to the frame
     * that made it; null unless that frame is a constructor or a static initialiser.
     */
    private static Owner owner(StackWalker.StackFrame first, java.util.Iterator<StackWalker.StackFrame> rest) {
        Class<?> type = first.getDeclaringClass();
        while (rest.hasNext()) {
            StackWalker.StackFrame f = rest.next();
            if (f.getMethodName().equals("<init>") && type.isAssignableFrom(f.getDeclaringClass())) {
                type = f.getDeclaringClass(); // a subclass's constructor called this one
                continue;
            }
            if (Lockdep.isJdkClass(f.getClassName()) && rest.hasNext()) {
                continue; // Constructor.newInstance, a method handle: the maker is further up
            }
            String maker = f.getMethodName();
            return maker.equals("<init>") || maker.equals("<clinit>") ? new Owner(type, f.toStackTraceElement()) : null;
        }
        return null;
    }

    /**
     * Registers a JDK lock allocated now under {@code key} (the identity its events carry): its
     * class is its allocation site, and reports name the instance {@code simple@hash} of
     * {@code lockObject} (the object the application sees).
     */
    static void register(Lockdep e, Object key, Object lockObject, String simple, LockClass.Kind kind) {
        Allocation allocation = allocation(lockObject.getClass().getName());
        LockClass cls = siteClass(e, simple, allocation, kind);
        if (cls != null) {
            StackTraceElement frame = allocation.frame();
            // a lock a static initialiser makes is shared from the start: any thread can reach it
            long creator = frame != null && frame.getMethodName().equals("<clinit>")
                    ? 0
                    : Thread.currentThread().getId();
            JDK_LOCKS.put(key, cls, simple + "@" + Integer.toHexString(System.identityHashCode(lockObject)), creator);
        }
    }

    /**
     * The flags of an acquisition of the JDK lock of {@code entry} (null: allocated before the
     * agent started): {@link Lockdep#PRIVATE} while only the thread that made it has used it.
     */
    static int privacy(Lockdep e, LockTable.Entry entry) {
        int used = entry == null ? 0 : entry.privateTo(Thread.currentThread().getId());
        if (used < 0) {
            e.lockShared(entry.get(), entry.cls); // what its creator recorded on it came first
        }
        return used > 0 ? Lockdep.PRIVATE : 0;
    }

    /**
     * The class of a lock allocated now: named by its type and allocation site, and one of the
     * JDK's internal locks when the site is JDK code.
     */
    private static LockClass siteClass(Lockdep e, String simple, Allocation allocation, LockClass.Kind kind) {
        StackTraceElement frame = allocation.frame();
        String inWrapper = "";
        if (allocation.wrapper() != null) {
            // "AutoLock at Server.<init>(...), its ReentrantLock at AutoLock.<init>(...)"
            inWrapper = ", its " + simple + " at " + allocation.inWrapper();
            simple = allocation.wrapper().getSimpleName();
        }
        if (frame != null
                && (frame.getClassName().startsWith("io.jlockdep.shaded.")
                        || frame.getClassName().startsWith("io.jlockdep.agent."))) {
            return null; // the agent's own locks are not tracked
        }
        String named = frame == null || allocatedIn.isEmpty()
                ? null
                : allocatedIn.get(frame.getClassName() + "." + frame.getMethodName());
        if (named != null) {
            return namedClass(e, named, kind);
        }
        Owner owner = allocation.owner();
        String of = owner == null ? "" : ", for the " + owner.type().getName() + " made at " + owner.madeAt();
        String name = simple + " at " + (frame == null ? "?" : frame.toString()) + inWrapper + of;
        return frame != null && Lockdep.isJdkClass(frame.getClassName())
                ? e.internalLockClass(name, name, kind)
                : e.lockClass(name, name, kind);
    }

    // ------------------------------------------------------------------ ConcurrentHashMap compute family

    /** A ConcurrentHashMap was constructed: its compute-family bin locks get a class from its allocation site. */
    public static void mapCreated(Object map) {
        Lockdep e = engine;
        if (e != null) {
            register(e, map, map, "ConcurrentHashMap", LockClass.Kind.MUTEX);
        }
    }

    /**
     * Entry of compute, computeIfAbsent, computeIfPresent or merge: the caller's function runs
     * under a bin lock of the map. The map stands for its bins (a bin is not known before the
     * call), re-entrant for nested calls on other keys; checked here, before the lock can block.
     */
    public static void mapEnter(Object map) {
        Lockdep e = engine;
        if (e == null) {
            return;
        }
        LockTable.Entry entry = JDK_LOCKS.get(map);
        LockClass cls = entry != null ? entry.cls : earlyClass(e, EARLY_MAP);
        e.acquire(map, cls, Lockdep.WRITE, Lockdep.REENTRANT, null, null);
        e.acquired(map);
    }

    /** Exit of the compute-family call. */
    public static void mapExit(Object map) {
        Lockdep e = engine;
        if (e != null) {
            e.releaseIfHeld(map, Lockdep.WRITE);
        }
    }

    // ------------------------------------------------------------------ threads

    /** The current thread ends (platform {@code Thread.exit}, or a virtual thread's task returned). */
    public static void threadEnd() {
        Lockdep e = engine;
        if (e != null) {
            e.threadEnd();
        }
    }

    /** How reports name a lock instance: JDK locks by type and identity, others by their toString when it is theirs. */
    public static String instanceName(Object instance) {
        LockTable.Entry entry = JDK_LOCKS.get(instance);
        if (entry != null) {
            return entry.name;
        }
        if (instance instanceof Class) {
            return "class "
                    + ((Class<?>) instance).getName(); // synchronized (Registry.class), a static synchronized method
        }
        if (instance.getClass().getName().equals("io.jlockdep.resv.ReservationLock")) {
            try {
                return String.valueOf(instance.getClass().getMethod("name").invoke(instance));
            } catch (ReflectiveOperationException | RuntimeException ex) {
                // fall through
            }
        }
        return io.jlockdep.agent.engine.LockdepConfig.identityName(instance);
    }

    // ------------------------------------------------------------------ specification rules

    /** Entry of a method a rule is about, with the path's root (this or an argument). */
    public static void apiEnter(int index, Object root) {
        Lockdep e = engine;
        if (e == null) {
            return;
        }
        Entry entry = entries[index];
        e.enter(entry.rule, canonical(entry.lock.resolve(root)), null);
    }

    /** Exit (normal or exceptional) of a method {@link #apiEnter} saw. */
    public static void apiExit(int index) {
        Lockdep e = engine;
        if (e != null) {
            e.exit(entries[index].rule);
        }
    }

    /** A method whose lock is reached from its return value returned {@code value}. */
    public static void apiReturned(int index, Object value) {
        Lockdep e = engine;
        if (e == null) {
            return;
        }
        Entry entry = entries[index];
        e.enter(entry.rule, canonical(entry.lock.resolve(value)), null);
        e.exit(entry.rule);
    }
}
