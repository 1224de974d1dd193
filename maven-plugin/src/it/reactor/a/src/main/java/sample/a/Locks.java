package sample.a;

import java.util.concurrent.locks.ReentrantLock;

/** Two locks shared by the modules; module a takes them first then second. */
public final class Locks {
    public static final ReentrantLock FIRST = new ReentrantLock();
    public static final ReentrantLock SECOND = new ReentrantLock();

    private Locks() {}

    public static boolean firstThenSecond() {
        FIRST.lock();
        try {
            SECOND.lock();
            try {
                return FIRST.isHeldByCurrentThread() && SECOND.isHeldByCurrentThread();
            } finally {
                SECOND.unlock();
            }
        } finally {
            FIRST.unlock();
        }
    }
}
