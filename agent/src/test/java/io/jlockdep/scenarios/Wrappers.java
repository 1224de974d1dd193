package io.jlockdep.scenarios;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Lock wrappers, as Jetty's {@code AutoLock} is one: every instance allocates its lock in the
 * wrapper's own constructor, so by allocation site they would all be one lock class. The agent
 * finds the wrapper in the bytecode ({@link Guard#lock} returns with the lock held) and keys each
 * lock by the site that allocated the wrapper: a {@code Pool}'s guard and a {@code Server}'s are
 * two classes, every {@code Pool}'s guard one.
 */
final class Wrappers {

    private Wrappers() {}

    /** An AutoLock-style wrapper: one lock per instance, handed out held, released by close. */
    static final class Guard implements AutoCloseable {
        private final ReentrantLock lock = new ReentrantLock();

        Guard lock() {
            lock.lock();
            return this;
        }

        @Override
        public void close() {
            lock.unlock();
        }
    }

    /** Not a wrapper by its bytecode (it releases its lock in the method that takes it): option wrappers names it. */
    static final class Holder {
        private final ReentrantLock lock = new ReentrantLock();

        void run(Runnable body) {
            lock.lock();
            try {
                body.run();
            } finally {
                lock.unlock();
            }
        }
    }

    static final class Pool {
        final Guard guard = new Guard();
        final Holder holder = new Holder();
    }

    static final class Server {
        final Guard guard = new Guard();
        final Holder holder = new Holder();
    }

    /**
     * The server's guard, then a shared lock, on one thread; the shared lock, then the pool's
     * guard, on another: a cycle only if the two guards were one class. Then two pools' guards
     * nested in one order (one class, ordered instances).
     */
    static void guards() {
        ReentrantLock shared = new ReentrantLock();
        Pool pool = new Pool();
        Server server = new Server();
        Scenarios.inThread("server", () -> {
            try (Guard g = server.guard.lock()) {
                shared.lock();
                shared.unlock();
            }
        });
        Scenarios.inThread("pool", () -> {
            shared.lock();
            try (Guard g = pool.guard.lock()) {
                Work.touch(g);
            } finally {
                shared.unlock();
            }
        });
        Pool other = new Pool();
        try (Guard a = pool.guard.lock();
                Guard b = other.guard.lock()) {
            Work.touch(b);
        }
    }

    /**
     * A wrapper (it hands its eviction lock out held) that allocates two locks in its constructor,
     * as Caffeine's cache allocates its eviction lock and its map: found on Caffeine, where both
     * were one class, so the map's lock under the eviction lock was same-class nesting.
     */
    static final class TwoLockCache {
        private final ReentrantLock eviction = new ReentrantLock();
        private final ReentrantLock data = new ReentrantLock();

        TwoLockCache lockEviction() {
            eviction.lock();
            return this;
        }

        void evict() {
            lockEviction();
            try {
                data.lock();
                data.unlock();
            } finally {
                eviction.unlock();
            }
        }
    }

    /** Two caches made at one site, each evicting: the data lock nested under the eviction lock. */
    static void twoLockWrapper() {
        for (int i = 0; i < 2; i++) {
            new TwoLockCache().evict();
        }
    }

    /**
     * The same shape with Holders: a Holder's lock is keyed by where its Holder was made (a field
     * of a Pool, of a Server), so two classes; option wrappers names the lock after the wrapper.
     */
    static void holders() {
        ReentrantLock shared = new ReentrantLock();
        Pool pool = new Pool();
        Server server = new Server();
        Scenarios.inThread(
                "server",
                () -> server.holder.run(() -> {
                    shared.lock();
                    shared.unlock();
                }));
        Scenarios.inThread("pool", () -> {
            shared.lock();
            try {
                pool.holder.run(() -> Work.touch(pool));
            } finally {
                shared.unlock();
            }
        });
    }
}
