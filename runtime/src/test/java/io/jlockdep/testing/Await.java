package io.jlockdep.testing;

import java.util.function.BooleanSupplier;

/** Polls a condition that another thread will make true, with a deadline (never a fixed sleep). */
public final class Await {

    private Await() {}

    public static void until(String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + Worker.TIMEOUT_SECONDS * 1_000_000_000L;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.onSpinWait();
            Thread.yield();
        }
    }

    /** Until {@code thread} is parked or waiting (blocked on a lock). */
    public static void parked(Thread thread) {
        until(thread.getName() + " waits", () -> {
            Thread.State s = thread.getState();
            return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
        });
    }
}
