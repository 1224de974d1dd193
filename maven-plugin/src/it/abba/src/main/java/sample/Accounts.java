package sample;

import java.util.concurrent.locks.ReentrantLock;

/** Two locks, and two methods that take them in opposite orders. */
public class Accounts {
    private final ReentrantLock ledger = new ReentrantLock();
    private final ReentrantLock audit = new ReentrantLock();
    private int moves;

    public int transfer() {
        ledger.lock();
        try {
            audit.lock();
            try {
                return ++moves;
            } finally {
                audit.unlock();
            }
        } finally {
            ledger.unlock();
        }
    }

    public int review() {
        audit.lock();
        try {
            ledger.lock();
            try {
                return moves;
            } finally {
                ledger.unlock();
            }
        } finally {
            audit.unlock();
        }
    }
}
