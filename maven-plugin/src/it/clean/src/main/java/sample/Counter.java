package sample;

import java.util.concurrent.locks.ReentrantLock;

/** Two locks, always taken in one order. */
public class Counter {
    private final ReentrantLock outer = new ReentrantLock();
    private final ReentrantLock inner = new ReentrantLock();
    private int count;

    public int increment() {
        outer.lock();
        try {
            inner.lock();
            try {
                return ++count;
            } finally {
                inner.unlock();
            }
        } finally {
            outer.unlock();
        }
    }
}
