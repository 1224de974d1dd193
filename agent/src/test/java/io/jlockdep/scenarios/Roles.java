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
}
