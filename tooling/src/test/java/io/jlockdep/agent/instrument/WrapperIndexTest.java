package io.jlockdep.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.Semaphore;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantLock;
import org.junit.jupiter.api.Test;

class WrapperIndexTest {

    /** Hands its lock out held: a wrapper. */
    static final class AutoLockLike implements AutoCloseable {
        private final ReentrantLock lock = new ReentrantLock();

        AutoLockLike lock() {
            lock.lock();
            return this;
        }

        @Override
        public void close() {
            lock.unlock();
        }
    }

    /** A Lock whose lock() takes its delegate and returns: a wrapper. */
    static final class Permit {
        private final Semaphore semaphore = new Semaphore(1);

        void enter() throws InterruptedException {
            semaphore.acquire();
        }

        void leave() {
            semaphore.release();
        }
    }

    /** Takes and releases its lock in one method: a component with a lock, not a wrapper. */
    static final class Component {
        private final Lock lock = new ReentrantLock();
        private int n;

        void inc() {
            lock.lock();
            try {
                n++;
            } finally {
                lock.unlock();
            }
        }
    }

    /** A static lock: not an instance's. */
    static final class Global {
        private static final ReentrantLock LOCK = new ReentrantLock();

        static void enter() {
            LOCK.lock();
        }
    }

    /** No lock type anywhere in it. */
    static final class Plain {
        private final Object[] items = new Object[4];

        Object first() {
            return items[0];
        }
    }

    @Test
    void theConstantPoolTellsWhichClassesNameALockType() throws Exception {
        assertThat(WrapperIndex.mentionsLocks(MethodPatcherTest.bytes(AutoLockLike.class)))
                .as("a field and calls of ReentrantLock")
                .isTrue();
        assertThat(WrapperIndex.mentionsLocks(MethodPatcherTest.bytes(Permit.class)))
                .as("a Semaphore")
                .isTrue();
        assertThat(WrapperIndex.mentionsLocks(MethodPatcherTest.bytes(Component.class)))
                .as("a field of the interface Lock")
                .isTrue();
        assertThat(WrapperIndex.mentionsLocks(MethodPatcherTest.bytes(Plain.class)))
                .isFalse();
        assertThat(WrapperIndex.mentionsLocks(MethodPatcherTest.bytes(String.class)))
                .isFalse();
        assertThat(WrapperIndex.mentionsLocks(MethodPatcherTest.bytes(java.util.concurrent.CopyOnWriteArrayList.class)))
                .as("a JDK class whose lock is a monitor, not a lock type")
                .isFalse();
        assertThat(WrapperIndex.mentionsLocks(MethodPatcherTest.bytes(java.util.concurrent.ArrayBlockingQueue.class)))
                .as("a JDK class with a ReentrantLock field")
                .isTrue();
    }

    @Test
    void aClassWhoseMethodReturnsWithItsLockTakenIsAWrapper() throws Exception {
        assertThat(WrapperIndex.isWrapper(MethodPatcherTest.bytes(AutoLockLike.class)))
                .isTrue();
        assertThat(WrapperIndex.isWrapper(MethodPatcherTest.bytes(Permit.class)))
                .isTrue();
        assertThat(WrapperIndex.isWrapper(MethodPatcherTest.bytes(Component.class)))
                .isFalse();
        assertThat(WrapperIndex.isWrapper(MethodPatcherTest.bytes(Global.class)))
                .isFalse();
    }
}
