package io.jlockdep.workloads;

import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.LoadingCache;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.LongAdder;
import org.apache.commons.pool2.BasePooledObjectFactory;
import org.apache.commons.pool2.PooledObject;
import org.apache.commons.pool2.impl.DefaultPooledObject;
import org.apache.commons.pool2.impl.GenericObjectPool;
import org.apache.logging.log4j.LogManager;
import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.io.Content;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * {@code java -cp jlockdep-workloads.jar io.jlockdep.workloads.Workloads NAME SECONDS}: one real
 * library under load for SECONDS, in correct code, with several threads. Prints {@code ready MS}
 * (JVM uptime once set up: the start-up figure), then {@code ops N} (operations done in the
 * timed part) and {@code rss-peak-kb N} (the process's peak resident set), then {@code done NAME}.
 */
public final class Workloads {

    private Workloads() {}

    /** One workload: set up, then work for the duration, counting operations; then tear down. */
    private interface Workload {
        void run(long durationNanos, LongAdder ops) throws Exception;
    }

    private static final Map<String, Workload> ALL = Map.of(
            "jetty", Workloads::jetty,
            "h2", Workloads::h2,
            "caffeine", Workloads::caffeine,
            "pool2", Workloads::pool2,
            "log4j2", Workloads::log4j2,
            "logback", Workloads::logback);

    /** The workloads' names, in the order the runner runs them. */
    static final List<String> NAMES = List.of("jetty", "h2", "caffeine", "pool2", "log4j2", "logback");

    public static void main(String[] args) throws Exception {
        Workload w = ALL.get(args[0]);
        if (w == null) {
            throw new IllegalArgumentException("no workload " + args[0] + "; known: " + NAMES);
        }
        long seconds = Long.parseLong(args[1]);
        LongAdder ops = new LongAdder();
        w.run(seconds * 1_000_000_000L, ops);
        System.out.println("ops " + ops.sum());
        System.out.println("rss-peak-kb " + peakRssKb());
        System.out.println("done " + args[0]);
        System.exit(0);
    }

    /** Called by each workload once set up: prints the start-up figure; returns when the timed part starts. */
    private static long ready() {
        System.out.println("ready " + ManagementFactory.getRuntimeMXBean().getUptime());
        return System.nanoTime();
    }

    private static long peakRssKb() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (line.startsWith("VmHWM:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", ""));
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: no figure
        }
        return -1;
    }

    /** Runs {@code body} on {@code n} threads for {@code duration} nanoseconds and waits for them. */
    private static void onThreads(int n, long duration, LongAdder ops, Body body) throws InterruptedException {
        long start = ready();
        List<Thread> threads = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            int index = i;
            Thread t = new Thread(
                    () -> {
                        try {
                            while (System.nanoTime() - start < duration) {
                                body.once(index);
                                ops.increment();
                            }
                        } catch (Exception e) {
                            synchronized (failures) {
                                failures.add(e);
                            }
                        }
                    },
                    "worker-" + i);
            threads.add(t);
            t.start();
        }
        for (Thread t : threads) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw new IllegalStateException("a worker failed", failures.get(0));
        }
    }

    private interface Body {
        void once(int thread) throws Exception;
    }

    /** Jetty 12: a server with a small handler, and its HTTP client, 8 client threads. */
    private static void jetty(long duration, LongAdder ops) throws Exception {
        Server server = new Server(new QueuedThreadPool(16));
        ServerConnector connector = new ServerConnector(server);
        connector.setPort(0);
        server.addConnector(connector);
        server.setHandler(new Handler.Abstract() {
            @Override
            public boolean handle(Request request, Response response, Callback callback) {
                response.setStatus(200);
                Content.Sink.write(response, true, "ok", callback);
                return true;
            }
        });
        server.start();
        HttpClient client = new HttpClient();
        client.start();
        String uri = "http://localhost:" + connector.getLocalPort() + "/";
        try {
            onThreads(8, duration, ops, t -> {
                if (client.GET(uri).getStatus() != 200) {
                    throw new IllegalStateException("bad status");
                }
            });
        } finally {
            client.stop();
            server.stop();
        }
    }

    /** H2: embedded and over its TCP server, 4 threads in transactions, with DDL now and then. */
    private static void h2(long duration, LongAdder ops) throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        org.h2.tools.Server tcp = org.h2.tools.Server.createTcpServer("-tcpPort", String.valueOf(port))
                .start();
        String embedded = "jdbc:h2:mem:w;DB_CLOSE_DELAY=-1";
        try (Connection setup = DriverManager.getConnection(embedded);
                Statement s = setup.createStatement()) {
            s.execute("create table account(id int primary key, balance int)");
            for (int i = 0; i < 1000; i++) {
                s.execute("insert into account values(" + i + ", 100)");
            }
        }
        List<Connection> connections = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Connection c =
                    DriverManager.getConnection(i == 3 ? "jdbc:h2:tcp://localhost:" + port + "/mem:w" : embedded);
            c.setAutoCommit(false);
            connections.add(c);
        }
        try {
            onThreads(4, duration, ops, t -> transfer(connections.get(t), t));
        } finally {
            for (Connection c : connections) {
                c.close(); // Database.removeSession
            }
            try (Connection c = DriverManager.getConnection(embedded);
                    Statement s = c.createStatement()) {
                s.execute("shutdown");
            }
            tcp.stop();
        }
    }

    private static final ThreadLocal<int[]> ROUNDS = ThreadLocal.withInitial(() -> new int[1]);

    private static void transfer(Connection c, int thread) throws SQLException {
        ThreadLocalRandom r = ThreadLocalRandom.current();
        int from = r.nextInt(1000);
        int to = r.nextInt(1000);
        try (PreparedStatement debit = c.prepareStatement("update account set balance = balance - 1 where id = ?");
                PreparedStatement credit = c.prepareStatement("update account set balance = balance + 1 where id = ?");
                PreparedStatement read = c.prepareStatement("select balance from account where id = ?")) {
            debit.setInt(1, Math.min(from, to));
            debit.executeUpdate();
            credit.setInt(1, Math.max(from, to));
            credit.executeUpdate();
            read.setInt(1, from);
            try (ResultSet rs = read.executeQuery()) {
                rs.next();
            }
            c.commit();
        }
        int[] round = ROUNDS.get();
        if (++round[0] % 200 == 0) { // DDL: the database's own monitor
            try (Statement s = c.createStatement()) {
                s.execute("create table scratch_" + thread + "(x int)");
                s.execute("drop table scratch_" + thread);
            }
        }
    }

    /** Caffeine: a bounded loading cache, 4 threads reading a key range larger than the cache. */
    private static void caffeine(long duration, LongAdder ops) throws Exception {
        LoadingCache<Integer, Integer> cache =
                Caffeine.newBuilder().maximumSize(500).build(k -> k * 2);
        onThreads(4, duration, ops, t -> {
            if (cache.get(ThreadLocalRandom.current().nextInt(2000)) == null) {
                throw new IllegalStateException("no value");
            }
        });
    }

    /** Commons Pool2: 8 threads borrowing from and returning to a pool of 4. */
    private static void pool2(long duration, LongAdder ops) throws Exception {
        GenericObjectPool<StringBuilder> pool = new GenericObjectPool<>(new BasePooledObjectFactory<>() {
            @Override
            public StringBuilder create() {
                return new StringBuilder();
            }

            @Override
            public PooledObject<StringBuilder> wrap(StringBuilder o) {
                return new DefaultPooledObject<>(o);
            }
        });
        pool.setMaxTotal(4);
        try {
            onThreads(8, duration, ops, t -> {
                StringBuilder b = pool.borrowObject();
                b.setLength(0);
                b.append(t);
                pool.returnObject(b);
            });
        } finally {
            pool.close();
        }
    }

    /** Log4j2: an AsyncAppender (log4j2.xml), 4 threads logging. */
    private static void log4j2(long duration, LongAdder ops) throws Exception {
        org.apache.logging.log4j.Logger log = LogManager.getLogger("workload");
        try {
            onThreads(4, duration, ops, t -> log.info("message {} from {}", ops.sum(), t));
        } finally {
            LogManager.shutdown();
        }
    }

    /** Logback: an AsyncAppender (logback.xml), 4 threads logging through SLF4J. */
    private static void logback(long duration, LongAdder ops) throws Exception {
        org.slf4j.Logger log = org.slf4j.LoggerFactory.getLogger("workload");
        try {
            onThreads(4, duration, ops, t -> log.info("message {} from {}", ops.sum(), t));
        } finally {
            ((ch.qos.logback.classic.LoggerContext) org.slf4j.LoggerFactory.getILoggerFactory()).stop();
        }
    }
}
