package io.jlockdep.scenarios;

/**
 * The everyday idiom {@code private final Object lock = new Object()}, in two components. Each
 * component's lock is a lock class of its own ({@code ObjectLocks$Cache.lock},
 * {@code ObjectLocks$Index.lock}), as the kernel keys a lock by its field, never the one class
 * {@code java.lang.Object} that every such lock in the process would share.
 */
final class ObjectLocks {

    private ObjectLocks() {}

    /** A shared registry, a synchronized class. */
    static final class Registry {
        private int entries;

        synchronized void register() {
            entries++;
        }

        synchronized void visit(Runnable inside) {
            inside.run();
        }
    }

    /** Takes its own lock, then the registry. */
    static final class Cache {
        private final Object lock = new Object();
        private int size;

        void fill(Registry registry) {
            synchronized (lock) {
                size++;
                registry.register();
            }
        }

        void touch() {
            synchronized (lock) {
                size++;
            }
        }
    }

    /** Takes the registry, then its own lock. */
    static final class Index {
        private final Object lock = new Object();
        private int keys;

        void rebuild(Registry registry) {
            registry.visit(() -> {
                synchronized (lock) {
                    keys++;
                }
            });
        }

        void touch() {
            synchronized (lock) {
                keys++;
            }
        }
    }

    /** A lock held in a local, never a field: its class is no coarser than the class using it. */
    private static void withLocalLock(Registry registry) {
        Object lock = new Object();
        synchronized (lock) {
            registry.register();
        }
    }

    /** cache.lock -> registry on one thread, registry -> index.lock on another: no cycle. */
    static void components() {
        Registry registry = new Registry();
        Cache cache = new Cache();
        Index index = new Index();
        Scenarios.inThread("cache", () -> {
            cache.fill(registry);
            withLocalLock(registry);
        });
        Scenarios.inThread("index", () -> index.rebuild(registry));
    }

    /** cache.lock -> index.lock on one thread, index.lock -> cache.lock on another: a real inversion. */
    static void inversion() {
        Cache cache = new Cache();
        Index index = new Index();
        Scenarios.inThread("first", () -> {
            synchronized (cache.lock) {
                index.touch();
            }
        });
        Scenarios.inThread("second", () -> {
            synchronized (index.lock) {
                cache.touch();
            }
        });
    }
}
