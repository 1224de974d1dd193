package io.jlockdep.scenarios;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Programs an adversarial user wrote against the agent (issue 12), each run in a JVM of its own
 * under the agent by {@code ReliabilityIT}: {@code java Adversarial NAME [ARGS]}. Every program
 * ends by printing {@code done NAME}; a program that would hang gives up after a bounded wait
 * and prints what hung instead.
 */
public final class Adversarial {

    private static final Map<String, Runnable> ALL = new LinkedHashMap<>();
    private static String[] args = new String[0];

    static {
        ALL.put("sync-getter", Adversarial::syncGetter);
        ALL.put("sync-getter-single", Adversarial::syncGetterSingleThread);
        ALL.put("lone-surrogate", Adversarial::loneSurrogate);
        ALL.put("report-unwritable", Adversarial::reportUnwritable);
        ALL.put("deep-dependencies", Adversarial::deepDependencies);
        ALL.put("depth-cap", Adversarial::depthCap);
        ALL.put("stack-overflow", Adversarial::stackOverflow);
        ALL.put("virtual-sleep", Adversarial::virtualSleep);
        ALL.put("jdk-spec-rule", Adversarial::jdkSpecRule);
        ALL.put("two-loaders", Adversarial::twoLoaders);
        ALL.put("child-first", Adversarial::childFirst);
        ALL.put("abba", Adversarial::abba);
        ALL.put("properties", Adversarial::properties);
        ALL.put("uninstrumentable", Adversarial::uninstrumentable);
    }

    private Adversarial() {}

    public static void main(String[] argv) {
        Runnable scenario = ALL.get(argv[0]);
        if (scenario == null) {
            throw new IllegalArgumentException("no scenario " + argv[0] + "; known: " + ALL.keySet());
        }
        args = java.util.Arrays.copyOfRange(argv, 1, argv.length);
        scenario.run();
        System.out.println("done " + argv[0]);
    }

    private static void await(CountDownLatch latch, String what) {
        try {
            if (!latch.await(20, TimeUnit.SECONDS)) {
                System.out.println("HUNG: " + what);
                System.out.flush();
                Runtime.getRuntime().halt(3);
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void join(Thread t, String what) {
        try {
            t.join(TimeUnit.SECONDS.toMillis(20));
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        if (t.isAlive()) {
            System.out.println("HUNG: " + what);
            System.out.flush();
            Runtime.getRuntime().halt(3);
        }
    }

    // ------------------------------------------------------------------ item 1: the agent's own path evaluation

    /** A class whose spec rule reaches its lock through a synchronized getter (guarded.lockspec). */
    public static final class Guarded {
        final Object lock = new Object();
        final Object plain = new Object();

        /** Takes this object's monitor: the agent must never call it. */
        public synchronized Object syncLock() {
            return lock;
        }

        /** A plain field getter: evaluated as a read of {@code plain}. */
        public Object plainLock() {
            return plain;
        }

        /** Rule guarded/call-unlocked: must not be called with {@code syncLock()} held. */
        public void call() {}

        /** Rule guarded/plain-locked: must be called with {@code plainLock()} held. */
        public void plainCall() {}

        /** Holds this object's monitor, then waits for {@code lock}. */
        public synchronized void other(CountDownLatch inside) {
            inside.countDown();
            synchronized (lock) {
                Work.touch(lock);
            }
        }
    }

    /** Thread A holds {@code lock} and calls the ruled method; thread B holds the object and wants {@code lock}. */
    private static void syncGetter() {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        for (int i = 0; i < rounds; i++) {
            Guarded g = new Guarded();
            CountDownLatch aHolds = new CountDownLatch(1);
            CountDownLatch bInside = new CountDownLatch(1);
            Thread a = new Thread(
                    () -> {
                        synchronized (g.lock) {
                            aHolds.countDown();
                            await(bInside, "thread B never entered other()");
                            g.call(); // with the old agent: it calls g.syncLock() here and waits for B forever
                        }
                    },
                    "A");
            Thread b = new Thread(
                    () -> {
                        await(aHolds, "thread A never took the lock");
                        g.other(bInside);
                    },
                    "B");
            a.start();
            b.start();
            join(a, "thread A (the agent evaluating a lock path) in round " + i);
            join(b, "thread B in round " + i);
        }
        Guarded g = new Guarded();
        g.plainCall(); // guarded/plain-locked: the plain getter is read as a field, so this is checked
        synchronized (g.plain) {
            g.plainCall(); // correct
        }
    }

    private static void syncGetterSingleThread() {
        Guarded g = new Guarded();
        synchronized (g.lock) {
            g.call();
        }
        synchronized (g) {
            synchronized (g.lock) {
                Work.touch(g.lock);
            }
        }
    }

    // ------------------------------------------------------------------ item 2: strings the JVM can hold

    private static void loneSurrogate() {
        String name = "worker-\uD83D\uDE00".substring(0, 8); // ends with a lone high surrogate
        Thread t = new Thread(Adversarial::abba, name);
        t.start();
        join(t, "the ABBA thread");
    }

    /** Two ReentrantLocks taken in both orders by one thread: one circular dependency. */
    private static void abba() {
        ReentrantLock a = new ReentrantLock();
        ReentrantLock b = new ReentrantLock();
        a.lock();
        b.lock();
        b.unlock();
        a.unlock();
        b.lock();
        a.lock();
        a.unlock();
        b.unlock();
    }

    /** The report's directory is replaced by a file after start: every later write fails. */
    private static void reportUnwritable() {
        Path dir = Path.of(args[0]);
        try {
            try (var files = Files.list(dir)) {
                for (Path p : (Iterable<Path>) files::iterator) {
                    Files.delete(p);
                }
            }
            Files.delete(dir);
            Files.writeString(dir, "not a directory");
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
        abba();
    }

    // ------------------------------------------------------------------ item 3: bounded memory

    /**
     * {@code N} dependencies, each first taken {@code DEPTH} frames deep: the agent must keep them
     * within bounded memory. Prints the heap used after a full collection.
     */
    private static void deepDependencies() {
        int n = Integer.parseInt(args[0]);
        int depth = Integer.parseInt(args[1]);
        int classes = (int) Math.ceil(Math.sqrt(2.0 * n)) + 1;
        List<ReentrantLock> locks = new ArrayList<>();
        for (int i = 0; i < classes; i++) {
            locks.add(newLockAt(i)); // one allocation site per lock: one lock class each
        }
        int made = 0;
        for (int i = 0; i < classes && made < n; i++) {
            for (int j = i + 1; j < classes && made < n; j++, made++) {
                ReentrantLock first = locks.get(i);
                ReentrantLock second = locks.get(j);
                deep(depth, () -> {
                    first.lock();
                    second.lock();
                    second.unlock();
                    first.unlock();
                });
            }
        }
        System.gc();
        MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        System.out.println("dependencies " + made);
        System.out.println("heap-after-gc " + memory.getHeapMemoryUsage().getUsed());
    }

    private static void deep(int depth, Runnable body) {
        if (depth <= 0) {
            body.run();
        } else {
            deep(depth - 1, body);
        }
    }

    /** A ReentrantLock whose allocation site is a lambda of its own per index (a class per lock). */
    private static ReentrantLock newLockAt(int i) {
        return LockSites.make(i);
    }

    // ------------------------------------------------------------------ item 10: the lock-depth cap

    private static void depthCap() {
        int threads = 4;
        int nesting = 1100;
        List<Thread> all = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread th = new Thread(() -> nest(nesting), "deep-" + t);
            th.start();
            all.add(th);
        }
        for (Thread th : all) {
            join(th, th.getName());
        }
    }

    private static void nest(int n) {
        if (n == 0) {
            return;
        }
        Object monitor = new Object();
        synchronized (monitor) {
            nest(n - 1);
        }
    }

    // ------------------------------------------------------------------ item 11: StackOverflowError

    private static final Object PING = new Object();
    private static final Object PONG = new Object();

    private static synchronized void ping(int n) {
        synchronized (PING) {
            pong(n + 1);
        }
    }

    private static void pong(int n) {
        synchronized (PONG) {
            ping(n + 1);
        }
    }

    /** Two objects whose synchronized methods call each other. */
    static final class Recursive {
        Recursive other;

        synchronized int a(int n) {
            return other.b(n + 1) + 1;
        }

        synchronized int b(int n) {
            return other.a(n + 1) + 1;
        }
    }

    private static void stackOverflow() {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int overflows = 0;
        Recursive x = new Recursive();
        Recursive y = new Recursive();
        x.other = y;
        y.other = x;
        for (int i = 0; i < rounds; i++) {
            try {
                ping(0);
            } catch (StackOverflowError e) {
                overflows++;
            }
            try {
                x.a(0);
            } catch (StackOverflowError e) {
                overflows++;
            }
        }
        overflows /= 2;
        if (Thread.holdsLock(x) || Thread.holdsLock(y)) {
            System.out.println("the JVM says a Recursive monitor is still held");
        }
        System.out.println("overflows " + overflows + " holdsLock " + Thread.holdsLock(PING) + " "
                + Thread.holdsLock(PONG) + " " + Thread.holdsLock(Adversarial.class));
    }

    // ------------------------------------------------------------------ item 9: virtual threads

    private static void virtualSleep() {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 3000;
        Object m = new Object();
        List<Thread> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            all.add(startVirtual(() -> {
                synchronized (m) {
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        throw new IllegalStateException(e);
                    }
                }
            }));
        }
        for (Thread t : all) {
            try {
                t.join(TimeUnit.SECONDS.toMillis(60));
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        }
    }

    private static Thread startVirtual(Runnable body) {
        try {
            return (Thread)
                    Thread.class.getMethod("startVirtualThread", Runnable.class).invoke(null, body);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("virtual threads need Java 21+", e);
        }
    }

    // ------------------------------------------------------------------ item 12: a rule on a JDK class

    private static void jdkSpecRule() {
        List<String> list = new ArrayList<>();
        list.add("unlocked"); // jdk/add-locked: the list's monitor must be held
        synchronized (list) {
            list.add("locked");
        }
    }

    // ------------------------------------------------------------------ item 13: one name, two loaders

    /** Loads {@code io.jlockdep.scenarios.Shared} in two class loaders and inverts their monitors. */
    private static void twoLoaders() {
        try {
            URL here = Adversarial.class.getProtectionDomain().getCodeSource().getLocation();
            Object one = sharedIn(new URLClassLoader("loader-one", new URL[] {here}, null));
            Object two = sharedIn(new URLClassLoader("loader-two", new URL[] {here}, null));
            synchronized (one) {
                synchronized (two) {
                    Work.touch(two);
                }
            }
            synchronized (two) {
                synchronized (one) {
                    Work.touch(one);
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * A child-first class loader (as PowerMock's and web containers' are) whose path holds the
     * application's classes and the agent jar (args[0]): it defines its own copy of the agent's
     * hook classes, into which the classes it loads report. The agent must say so.
     */
    private static void childFirst() {
        try {
            URL here = Adversarial.class.getProtectionDomain().getCodeSource().getLocation();
            URL agent = Path.of(args[0]).toUri().toURL();
            ClassLoader childFirst =
                    new URLClassLoader("child-first", new URL[] {here, agent}, Adversarial.class.getClassLoader()) {
                        @Override
                        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
                            if (name.startsWith("java.")) {
                                return super.loadClass(name, resolve);
                            }
                            synchronized (getClassLoadingLock(name)) {
                                Class<?> c = findLoadedClass(name);
                                if (c == null) {
                                    try {
                                        c = findClass(name);
                                    } catch (ClassNotFoundException e) {
                                        c = super.loadClass(name, resolve);
                                    }
                                }
                                return c;
                            }
                        }
                    };
            Object shared = sharedIn(childFirst);
            shared.getClass().getMethod("touch").invoke(shared); // its monitor, through its loader's hooks
            System.out.println("hooks from "
                    + Class.forName("io.jlockdep.agent.hook.Hooks", false, childFirst)
                            .getClassLoader());
        } catch (ReflectiveOperationException | java.net.MalformedURLException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Object sharedIn(ClassLoader loader) throws ReflectiveOperationException {
        return Class.forName("io.jlockdep.scenarios.Shared", true, loader)
                .getConstructor()
                .newInstance();
    }

    // ------------------------------------------------------------------ item 21: no traces in the application

    /** Loads the two {@link Orphan} classes from a folder (args[0]) that lacks their superclass. */
    private static void uninstrumentable() {
        try (URLClassLoader loader = new URLClassLoader(
                "orphans", new URL[] {Path.of(args[0]).toUri().toURL()}, null)) {
            for (String name :
                    List.of("io.jlockdep.scenarios.Orphan", "io.jlockdep.scenarios.Orphan$$EnhancerByMockito")) {
                for (int i = 0; i < 2; i++) {
                    try {
                        Class.forName(name, true, loader);
                        System.out.println("loaded " + name);
                    } catch (ClassNotFoundException | LinkageError e) {
                        System.out.println("not loadable " + name);
                    }
                }
            }
        } catch (java.io.IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void properties() {
        for (String key : System.getProperties().stringPropertyNames()) {
            if (key.contains("jlockdep") || key.contains("bytebuddy")) {
                System.out.println("property " + key);
            }
        }
    }
}
