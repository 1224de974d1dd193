package io.jlockdep.demo.scenario;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/** Running scenario bodies on real threads, bounded: a thread that does not finish is an error. */
final class Threads {

    static final long TIMEOUT_SECONDS = 30;

    private Threads() {}

    /** A body that may throw. */
    @FunctionalInterface
    interface Work {
        void run() throws Exception;
    }

    /** Runs {@code work} on a thread of that name and waits for it; rethrows what it threw. */
    static void inThread(String name, Work work) throws Exception {
        parallel(List.of(name), i -> work.run());
    }

    /** An indexed body. */
    @FunctionalInterface
    interface IndexedWork {
        void run(int index) throws Exception;
    }

    /** Starts one thread per name at once (a latch), waits for all; rethrows the first failure. */
    static void parallel(List<String> names, IndexedWork work) throws Exception {
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            int index = i;
            Thread t = new Thread(
                    () -> {
                        try {
                            if (!start.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                                throw new IllegalStateException("start latch timed out");
                            }
                            work.run(index);
                        } catch (Throwable e) { // an AssertionError (fail mode) too
                            failure.compareAndSet(null, e);
                        }
                    },
                    names.get(i));
            t.start();
            threads.add(t);
        }
        start.countDown();
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(TIMEOUT_SECONDS));
            if (t.isAlive()) {
                throw new IllegalStateException(t.getName() + " did not finish within " + TIMEOUT_SECONDS + " s");
            }
        }
        Throwable f = failure.get();
        if (f instanceof Error) {
            throw (Error) f;
        }
        if (f != null) {
            throw (Exception) f;
        }
    }

    static List<String> names(String prefix, int n) {
        List<String> names = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            names.add(prefix + "-" + i);
        }
        return names;
    }

    static void await(CountDownLatch latch) throws InterruptedException {
        if (!latch.await(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
            throw new IllegalStateException("latch timed out");
        }
    }
}
