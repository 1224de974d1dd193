package io.jlockdep.agent.engine;

import io.jlockdep.api.Violation;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A fresh engine with a collecting sink, and lock operations in the words of the kernel's
 * lib/locking-selftest.c: {@code L} lock, {@code U} unlock, {@code RL}/{@code RU} recursive read
 * (rwlock_t), {@code SRL}/{@code SRU} non-recursive read (rw_semaphore, ReentrantReadWriteLock).
 */
class Fixture {

    final List<Violation> reported = new CopyOnWriteArrayList<>();
    final List<String> notices = new CopyOnWriteArrayList<>();
    final Lockdep engine;

    /** Default settings, with instances named by their toString. */
    Fixture() {
        this(LockdepConfig.builder().instanceNamer(String::valueOf).build());
    }

    Fixture(LockdepConfig config) {
        engine = new Lockdep(config, new ViolationSink() {
            @Override
            public void onViolation(Violation violation) {
                reported.add(violation);
            }

            @Override
            public void onNotice(String notice) {
                notices.add(notice);
            }
        });
    }

    /** A named lock instance, described by its name in reports. */
    static final class Lock {
        final String name;

        Lock(String name) {
            this.name = name;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    LockClass cls(String name) {
        return engine.lockClass(name, name, LockClass.Kind.MUTEX);
    }

    LockClass cls(String name, LockClass.Kind kind) {
        return engine.lockClass(name, name, kind);
    }

    void lock(Object lock, LockClass cls) {
        engine.acquire(lock, cls, Lockdep.WRITE, 0, null, null);
        engine.acquired(lock);
    }

    void lockMode(Object lock, LockClass cls, int read, int flags) {
        engine.acquire(lock, cls, read, flags, null, null);
        engine.acquired(lock);
    }

    void trylock(Object lock, LockClass cls) {
        engine.acquire(lock, cls, Lockdep.WRITE, Lockdep.TRYLOCK, null, null);
    }

    void unlock(Object lock, LockClass cls) {
        engine.release(lock, cls, Lockdep.WRITE);
    }

    void unlockMode(Object lock, LockClass cls, int read) {
        engine.release(lock, cls, read);
    }

    List<String> rules() {
        List<String> out = new ArrayList<>();
        for (Violation v : reported) {
            out.add(v.rule());
        }
        return out;
    }
}
