package sample.b;

import sample.a.Locks;

/** Module b takes module a's locks the other way round. */
public final class Reverse {
    private Reverse() {}

    public static boolean secondThenFirst() {
        Locks.SECOND.lock();
        try {
            Locks.FIRST.lock();
            try {
                return Locks.FIRST.isHeldByCurrentThread();
            } finally {
                Locks.FIRST.unlock();
            }
        } finally {
            Locks.SECOND.unlock();
        }
    }
}
