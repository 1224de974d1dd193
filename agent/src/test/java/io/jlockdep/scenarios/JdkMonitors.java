package io.jlockdep.scenarios;

import java.io.BufferedOutputStream;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Stack;
import java.util.Timer;
import java.util.TimerTask;
import java.util.Vector;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.logging.StreamHandler;
import java.util.prefs.AbstractPreferences;

/**
 * The programs of {@link Scenarios} about the JDK's own monitors: the classic deadlocks of JDK
 * classes called in two orders by the application (two {@code Hashtable}s' {@code equals}, two
 * {@code StringBuffer}s appended to each other...), run one thread after the other so that they
 * never hang and must be predicted; the JDK using its own monitors in its fixed orders (stacked
 * streams, logging, timers), which must stay silent; and a real hang through monitors the agent
 * does not track.
 */
final class JdkMonitors {

    private JdkMonitors() {}

    static void register(Map<String, Runnable> all) {
        all.put("jdk-hashtable-equals", () -> crossed(table("a"), table("a"), JdkMonitors::sameContents));
        all.put("jdk-vector-equals", () -> crossed(vector("a"), vector("a"), JdkMonitors::sameContents));
        all.put("jdk-stack-contains-all", () -> crossed(stack("a"), stack("a"), JdkMonitors::containsAll));
        all.put(
                "jdk-stringbuffer-append",
                () -> crossed(new StringBuffer("a"), new StringBuffer("b"), (x, y) -> x.append(y)));
        all.put(
                "jdk-synchronized-list-add-all",
                () -> crossed(
                        Collections.synchronizedList(new ArrayList<>(List.of("a"))),
                        Collections.synchronizedList(new ArrayList<>(List.of("b"))),
                        (x, y) -> x.addAll(y)));
        all.put("jdk-logging-handler-cycle", JdkMonitors::loggingHandlerCycle);
        all.put("jdk-class-loaders-delegating", JdkMonitors::classLoadersDelegating);
        all.put("jdk-class-loading", JdkMonitors::classLoading);
        all.put("jdk-fixed-orders", JdkMonitors::fixedOrders);
        all.put("jdk-untracked-deadlock", JdkMonitors::untrackedDeadlock);
    }

    /** {@code x.equals(y)}, which locks {@code x} then {@code y}: the two hold the same by construction. */
    private static void sameContents(Object x, Object y) {
        if (!x.equals(y)) {
            throw new IllegalStateException(x + " != " + y);
        }
    }

    /** {@code x.containsAll(y)}: locks {@code x}, then {@code y} for its iterator. */
    private static void containsAll(Stack<String> x, Stack<String> y) {
        if (!x.containsAll(y)) {
            throw new IllegalStateException(x + " does not contain " + y);
        }
    }

    /** Something one thread does with two JDK objects: it locks the first, then the second. */
    private interface Cross<T> {
        void apply(T first, T second);
    }

    /** {@code op(x, y)} in one thread, then {@code op(y, x)} in another: never at the same time. */
    private static <T> void crossed(T x, T y, Cross<T> op) {
        Scenarios.inThread("forward", () -> op.apply(x, y));
        Scenarios.inThread("backward", () -> op.apply(y, x));
    }

    private static Hashtable<String, String> table(String value) {
        Hashtable<String, String> t = new Hashtable<>();
        t.put("k", value);
        return t;
    }

    private static Vector<String> vector(String value) {
        return new Vector<>(List.of(value));
    }

    private static Stack<String> stack(String value) {
        Stack<String> s = new Stack<>();
        s.push(value);
        return s;
    }

    /** The application's lock that its log stream takes, and that it holds while it logs. */
    private static final Object REGISTRY = new Object();

    /**
     * {@code StreamHandler.flush} is synchronized and writes to the application's stream, which
     * takes the application's lock (it records what was written in a registry); another thread
     * logs while holding that lock.
     */
    static void loggingHandlerCycle() {
        ByteArrayOutputStream written = new ByteArrayOutputStream();
        java.io.OutputStream registered = new java.io.OutputStream() {
            @Override
            public void write(int b) {
                synchronized (REGISTRY) {
                    written.write(b);
                }
            }
        };
        StreamHandler handler = new StreamHandler(registered, new java.util.logging.SimpleFormatter());
        Logger logger = Logger.getLogger("io.jlockdep.scenarios.registry");
        logger.setUseParentHandlers(false);
        logger.addHandler(handler);
        Scenarios.inThread("logger", () -> {
            logger.info("plain");
            handler.flush();
        });
        Scenarios.inThread("registrar", () -> {
            synchronized (REGISTRY) {
                logger.info("while registering");
            }
        });
        if (written.size() == 0) {
            throw new IllegalStateException("nothing logged");
        }
    }

    /**
     * The classic class-loading deadlock: two loaders that are not parallel-capable (each locks
     * itself in {@code ClassLoader.loadClass}) and delegate to each other from {@code findClass},
     * asked in both orders.
     */
    static void classLoadersDelegating() {
        Delegating first = new Delegating("first.");
        Delegating second = new Delegating("second.");
        first.other = second;
        second.other = first;
        Scenarios.inThread("load-via-first", () -> first.tryLoad("second.Plugin"));
        Scenarios.inThread("load-via-second", () -> second.tryLoad("first.Plugin"));
    }

    /**
     * A parallel-capable loader whose {@code findClass} consults the application's registry (its
     * lock) while {@code loadClass} holds the lock of the name being loaded; another thread holds
     * the registry while it loads another name. Two different names' locks: no deadlock is
     * possible, and nothing is reported (one lock class for every name would make a cycle).
     */
    static void classLoading() {
        Registered loader = new Registered();
        Scenarios.inThread("plugin-loader", () -> loader.tryLoad("plugin.A"));
        Scenarios.inThread("registrar", () -> {
            synchronized (Registered.REGISTRY) {
                loader.tryLoad("plugin.B");
            }
        });
    }

    /** A parallel-capable loader that looks each name up in a registry under the registry's lock. */
    private static final class Registered extends ClassLoader {
        static final Object REGISTRY = new Object();

        static {
            registerAsParallelCapable();
        }

        Registered() {
            super(null);
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            synchronized (REGISTRY) {
                throw new ClassNotFoundException(name + " is not registered");
            }
        }

        void tryLoad(String name) {
            try {
                loadClass(name);
                throw new IllegalStateException("loaded " + name);
            } catch (ClassNotFoundException expected) {
                // nothing is registered: findClass was asked under the name's lock
            }
        }
    }

    /** A loader that is not parallel-capable and asks the other loader for the other's names. */
    private static final class Delegating extends ClassLoader {
        private final String prefix;
        Delegating other;

        Delegating(String prefix) {
            super(null);
            this.prefix = prefix;
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            if (!name.startsWith(prefix)) {
                return other.loadClass(name); // under this loader's lock: takes the other's
            }
            throw new ClassNotFoundException(name);
        }

        void tryLoad(String name) {
            try {
                loadClass(name);
                throw new IllegalStateException("loaded " + name);
            } catch (ClassNotFoundException expected) {
                // the name is made up: both loaders were asked, in turn
            }
        }
    }

    /**
     * The JDK's monitors in the orders the JDK fixes, from two threads at once: streams stacked
     * three deep (a {@code BufferedOutputStream} over a {@code PrintStream} over a
     * {@code BufferedOutputStream}, as Surefire's forked JVM has), writers over writers, readers,
     * {@code java.util.logging} to a console-like stream, a {@code Timer}, {@code Properties}
     * stored and loaded, shared {@code StringBuffer}s and {@code Vector}s of {@code Hashtable}s.
     */
    static void fixedOrders() {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        PrintStream inner = new PrintStream(new BufferedOutputStream(sink), true, StandardCharsets.UTF_8);
        BufferedOutputStream outer = new BufferedOutputStream(inner);
        PrintWriter writer = new PrintWriter(new BufferedWriter(new OutputStreamWriter(outer, StandardCharsets.UTF_8)));
        StringBuffer shared = new StringBuffer();
        Vector<Hashtable<String, Integer>> tables = new Vector<>();
        for (int i = 0; i < 4; i++) {
            tables.add(new Hashtable<>(Map.of("n", i)));
        }
        Logger logger = Logger.getLogger("io.jlockdep.scenarios.fixed");
        logger.setUseParentHandlers(false);
        logger.addHandler(new StreamHandler(inner, new java.util.logging.SimpleFormatter()));
        Timer timer = new Timer("jlockdep-timer", true);
        CountDownLatch ticks = new CountDownLatch(4);
        timer.schedule(
                new TimerTask() {
                    @Override
                    public void run() {
                        inner.println("tick");
                        ticks.countDown();
                    }
                },
                0,
                1);
        CountDownLatch start = new CountDownLatch(1);
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            int id = t;
            Thread thread = new Thread(
                    () -> {
                        try {
                            start.await();
                            for (int i = 0; i < 200; i++) {
                                outer.write('x');
                                outer.flush();
                                writer.println("line " + id);
                                writer.flush();
                                inner.println(tables); // Vector.toString, each Hashtable's inside it
                                shared.append(id).append(tables.get(i % 4).get("n"));
                                logger.log(Level.INFO, "message {0}", id);
                            }
                            Properties p = new Properties();
                            p.setProperty("id", String.valueOf(id));
                            StringWriter text = new StringWriter();
                            p.store(text, null);
                            Properties back = new Properties();
                            back.load(new StringReader(text.toString()));
                            long lines = new BufferedReader(new InputStreamReader(
                                            new ByteArrayInputStream(
                                                    text.toString().getBytes(StandardCharsets.UTF_8)),
                                            StandardCharsets.UTF_8))
                                    .lines()
                                    .count();
                            if (lines == 0 || !back.equals(p)) {
                                throw new IllegalStateException("properties not read back: " + text);
                            }
                        } catch (IOException | InterruptedException e) {
                            throw new IllegalStateException(e);
                        }
                    },
                    "writer-" + t);
            thread.start();
            threads.add(thread);
        }
        start.countDown();
        try {
            for (Thread thread : threads) {
                thread.join(TimeUnit.SECONDS.toMillis(60));
            }
            if (!ticks.await(60, TimeUnit.SECONDS)) {
                throw new IllegalStateException("the timer did not run");
            }
        } catch (InterruptedException e) {
            throw new IllegalStateException(e);
        }
        timer.cancel();
        writer.close();
        System.out.println("wrote " + sink.size() + " bytes, " + shared.length() + " chars");
    }

    /**
     * A real deadlock through monitors jlockdep does not track: {@code AbstractPreferences} (not a
     * class the agent instruments) takes its node's {@code lock} around {@code putSpi}, and this
     * node's {@code putSpi} reads the other node, whose {@code get} takes the other's lock. Only
     * the JVM's own check sees it. Main waits for the watchdog's report, then ends (the daemons
     * stay blocked).
     */
    static void untrackedDeadlock() {
        CountDownLatch bothInside = new CountDownLatch(2);
        Node first = new Node("first", bothInside);
        Node second = new Node("second", bothInside);
        first.other = second;
        second.other = first;
        for (Node node : List.of(first, second)) {
            Thread t = new Thread(() -> node.put("k", "v"), "put-" + node.label);
            t.setDaemon(true);
            t.start();
        }
        JdkLockScenarios.waitForReport("lockdep/deadlock", 30_000);
        System.out.println("deadlock reported");
    }

    /** A preferences node whose {@code putSpi}, run under its lock, reads the other node. */
    private static final class Node extends AbstractPreferences {
        private final CountDownLatch bothInside;
        private final Map<String, String> values = new java.util.HashMap<>();
        final String label;
        Node other;

        Node(String label, CountDownLatch bothInside) {
            super(null, "");
            this.label = label;
            this.bothInside = bothInside;
        }

        @Override
        protected void putSpi(String key, String value) {
            bothInside.countDown();
            try {
                bothInside.await();
            } catch (InterruptedException e) {
                return;
            }
            values.put(key, other.get(key, value)); // takes the other node's lock: never returns
        }

        @Override
        protected String getSpi(String key) {
            return values.get(key);
        }

        @Override
        protected void removeSpi(String key) {
            values.remove(key);
        }

        @Override
        protected void removeNodeSpi() {}

        @Override
        protected String[] keysSpi() {
            return values.keySet().toArray(new String[0]);
        }

        @Override
        protected String[] childrenNamesSpi() {
            return new String[0];
        }

        @Override
        protected AbstractPreferences childSpi(String name) {
            throw new UnsupportedOperationException(name);
        }

        @Override
        protected void syncSpi() {}

        @Override
        protected void flushSpi() {}
    }
}
