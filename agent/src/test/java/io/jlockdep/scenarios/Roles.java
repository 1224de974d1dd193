package io.jlockdep.scenarios;

/**
 * Issue 28: one lock class for two roles. Apache Commons Pool's {@code BaseGenericObjectPool}
 * declares {@code evictionLock}; DBCP nests a statement pool (one subclass) inside each pooled
 * connection of a connection pool (another): the outer pool's eviction lock, a connection's
 * monitor, the inner pool's eviction lock, in that order only. One field of their base class, but
 * two roles: the field is keyed by the class of the object it belongs to. When the roles really
 * cross (the inner pool's lock, the connection, the outer pool's), the cycle is reported.
 */
final class Roles {

    private Roles() {}

    /** The shared base class that declares the lock. */
    abstract static class BasePool {
        final Object evictionLock = new Object();

        /** Runs {@code inside} under this pool's eviction lock (as {@code startEvictor} and {@code evict} do). */
        void evict(Runnable inside) {
            synchronized (evictionLock) {
                inside.run();
            }
        }
    }

    /** The connection pool. */
    static final class ConnectionPool extends BasePool {}

    /** The statement pool each connection owns. */
    static final class StatementPool extends BasePool {}

    /** A pooled connection: its monitor is taken while its statement pool is closed. */
    static final class Connection {
        final StatementPool statements = new StatementPool();

        synchronized void close() {
            statements.evict(() -> Work.touch(this));
        }

        /** The connection's monitor, then the pool's eviction lock. */
        synchronized void touchUnder(BasePool pool) {
            pool.evict(() -> Work.touch(this));
        }
    }

    /** Two locks taken in opposite orders by two methods (the plugin's sample: two tests, one method each). */
    static final class Accounts {
        private final java.util.concurrent.locks.ReentrantLock ledger = new java.util.concurrent.locks.ReentrantLock();
        private final java.util.concurrent.locks.ReentrantLock audit = new java.util.concurrent.locks.ReentrantLock();

        void transfer() {
            ledger.lock();
            audit.lock();
            audit.unlock();
            ledger.unlock();
        }

        void review() {
            audit.lock();
            ledger.lock();
            ledger.unlock();
            audit.unlock();
        }
    }

    /**
     * Each "test" makes its own Accounts, at its own line, and calls one method: objects made by
     * ordinary methods have no roles, so this is still the cycle a shared Accounts would deadlock on.
     */
    static void twoTests() {
        new Accounts().transfer();
        new Accounts().review();
    }

    /** args: "crossing" to take the outer pool's lock under a statement pool's lock too. */
    static void baseField(String... args) {
        ConnectionPool pool = new ConnectionPool();
        Connection connection = new Connection();
        Scenarios.inThread("evictor", () -> pool.evict(connection::close));
        if (args.length > 0 && args[0].equals("crossing")) {
            // a statement pool's lock, the connection's monitor, the connection pool's lock
            Scenarios.inThread("crossing", () -> connection.statements.evict(() -> connection.touchUnder(pool)));
        }
    }

    /**
     * DBCP's pooled objects: one type with synchronized methods, made by the connection pool's
     * factory for each connection and by each connection's statement pool for each statement.
     */
    static final class Pooled {
        private final Object item;

        Pooled(Object item) {
            this.item = item;
        }

        /** Runs {@code inside} under this object's monitor (as {@code invalidate()} and the pool's {@code synchronized (p)}). */
        synchronized void invalidate(Runnable inside) {
            Work.touch(item);
            inside.run();
        }
    }

    /** A connection and its statement pool: the statements' pooled objects, under the pool's close lock. */
    static final class PoolingConnection {
        final java.util.concurrent.locks.ReentrantLock closeLock = new java.util.concurrent.locks.ReentrantLock();
        final java.util.List<Pooled> statements = new java.util.ArrayList<>();

        /** The statement pool's factory: where every statement's pooled object is made. */
        Pooled makeStatement() {
            Pooled p = new Pooled("statement");
            statements.add(p);
            return p;
        }

        /** Closes the statement pool: its close lock, then each statement's pooled object. */
        synchronized void close() {
            closeLock.lock();
            try {
                for (Pooled p : statements) {
                    p.invalidate(() -> {});
                }
            } finally {
                closeLock.unlock();
            }
        }
    }

    /** The connection pool's factory: where every connection's pooled object is made. */
    static Pooled makeConnection(PoolingConnection c) {
        return new Pooled(c);
    }

    /**
     * args: "crossing" to also take a connection's pooled object under a statement's (the roles
     * cross: a real cycle); "crossing-first" to do that before the pool invalidates a connection;
     * "inner-first" to close the statement pool once on its own first (DBCP's order: a cycle of
     * the one class before any nesting shows the two roles).
     */
    static void pooledObjects(String... args) {
        PoolingConnection connection = new PoolingConnection();
        Pooled statement = connection.makeStatement();
        Pooled pooledConnection = makeConnection(connection);
        String variant = args.length > 0 ? args[0] : "";
        Runnable crossing = () -> statement.invalidate(() -> pooledConnection.invalidate(() -> {}));
        if (variant.equals("crossing-first")) {
            Scenarios.inThread("crossing", crossing);
        }
        if (variant.equals("inner-first")) {
            Scenarios.inThread("pool-close", connection::close);
        }
        // the outer pool invalidates a connection under its pooled object: the statements' inside
        Scenarios.inThread("evictor", () -> pooledConnection.invalidate(connection::close));
        Scenarios.inThread("evictor-again", () -> pooledConnection.invalidate(connection::close));
        if (variant.equals("crossing")) {
            Scenarios.inThread("crossing", crossing);
        }
    }

    /**
     * The two-tests shape with monitors: each "test" makes its own pair of objects, each type at
     * two lines, and nests them in its own order. Objects of one type never nest, so they keep one
     * class and the cycle (two shared objects would deadlock) is reported.
     */
    static void twoTestsMonitors() {
        Pooled a1 = new Pooled("a");
        PoolingConnection b1 = new PoolingConnection();
        a1.invalidate(() -> {
            synchronized (b1) {
                Work.touch(b1);
            }
        });
        Pooled a2 = new Pooled("a");
        PoolingConnection b2 = new PoolingConnection();
        synchronized (b2) {
            a2.invalidate(() -> {});
        }
    }

    /** ZooKeeper's database: its log lock. */
    static final class Database {
        final java.util.concurrent.locks.ReentrantReadWriteLock logLock =
                new java.util.concurrent.locks.ReentrantReadWriteLock();

        void load() {
            logLock.writeLock().lock();
            try {
                Work.touch(this);
            } finally {
                logLock.writeLock().unlock();
            }
        }
    }

    /** The leader: calls back into its peer under its own monitor. */
    static final class Leader {
        synchronized void propose(Peer peer) {
            peer.tick();
        }
    }

    /**
     * ZooKeeper's {@code QuorumPeer}: {@code start()} is synchronized and loads the database
     * before the peer's thread starts; that thread takes the log lock, the leader, the peer.
     */
    static final class Peer extends Thread {
        final Database database = new Database();
        final Leader leader = new Leader();

        Peer() {
            super("peer");
        }

        synchronized void startPeer() {
            database.load(); // the log lock: used by this thread only, so far
            start();
        }

        synchronized void reload() {
            database.load(); // the same, once the peer's thread has used the log lock
        }

        synchronized void tick() {
            Work.touch(this);
        }

        @Override
        public void run() {
            database.logLock.readLock().lock();
            try {
                synchronized (leader) {
                    leader.propose(this);
                }
            } finally {
                database.logLock.readLock().unlock();
            }
        }
    }

    /** A lock a static initialiser makes: shared from the start. */
    static final class Registry {
        static final java.util.concurrent.locks.ReentrantLock LOCK = new java.util.concurrent.locks.ReentrantLock();

        private Registry() {}
    }

    /**
     * args: "crossing" to load the database again under the peer's monitor once its thread ran
     * (the log lock is shared then: a real cycle); "static" for the same shape on a lock a static
     * initialiser made, reported from its first run.
     */
    static void notYetShared(String... args) {
        String variant = args.length > 0 ? args[0] : "";
        if (variant.equals("static")) {
            Object peer = new Object();
            synchronized (peer) {
                Registry.LOCK.lock(); // made by <clinit>: shared however few threads used it yet
                Registry.LOCK.unlock();
            }
            Scenarios.inThread("user", () -> {
                Registry.LOCK.lock();
                try {
                    synchronized (peer) {
                        Work.touch(peer);
                    }
                } finally {
                    Registry.LOCK.unlock();
                }
            });
            return;
        }
        Peer peer = new Peer();
        peer.startPeer();
        Scenarios.join(peer);
        if (variant.equals("crossing")) {
            peer.reload();
        }
    }
}
