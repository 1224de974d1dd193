package io.jlockdep.scenarios;

import java.util.concurrent.locks.ReentrantLock;

/**
 * A JVM that holds a lock until told to stop: thread {@code holder} takes {@link #LEDGER} and
 * prints "holding"; it lets go and the JVM ends when standard input closes. For {@code dump PID}.
 */
public final class HoldAndWait {

    static final ReentrantLock LEDGER = new ReentrantLock();

    private HoldAndWait() {}

    public static void main(String[] args) throws Exception {
        Thread holder = new Thread(
                () -> {
                    LEDGER.lock();
                    try {
                        System.out.println("holding");
                        System.out.flush();
                        while (System.in.read() >= 0) {
                            // until the test closes our standard input
                        }
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    } finally {
                        LEDGER.unlock();
                    }
                },
                "holder");
        holder.start();
        holder.join();
    }
}
