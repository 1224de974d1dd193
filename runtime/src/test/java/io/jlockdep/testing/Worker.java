package io.jlockdep.testing;

import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A task on a real thread of its own, with a bounded join: a test that would hang fails instead.
 */
public final class Worker<T> {

    public static final long TIMEOUT_SECONDS = 20;

    private final Thread thread;
    private final CountDownLatch finished = new CountDownLatch(1);
    private volatile T result;
    private volatile Throwable failure;

    private Worker(String name, Callable<T> task) {
        this.thread = new Thread(
                () -> {
                    try {
                        result = task.call();
                    } catch (Throwable t) {
                        failure = t;
                    } finally {
                        finished.countDown();
                    }
                },
                name);
        this.thread.setDaemon(true);
    }

    public static <T> Worker<T> start(String name, Callable<T> task) {
        Worker<T> worker = new Worker<>(name, task);
        worker.thread.start();
        return worker;
    }

    public Thread thread() {
        return thread;
    }

    public boolean isDone() {
        return finished.getCount() == 0;
    }

    private void await() throws InterruptedException {
        if (!finished.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new AssertionError(
                    thread.getName() + " did not finish within " + TIMEOUT_SECONDS + " s; state " + thread.getState());
        }
    }

    /** The task's result; rethrows what it threw, wrapped. */
    public T join() throws InterruptedException {
        await();
        if (failure != null) {
            throw new AssertionError(thread.getName() + " failed", failure);
        }
        return result;
    }

    /** What the task threw, or null if it returned. */
    public Throwable joinFailure() throws InterruptedException {
        await();
        return failure;
    }
}
