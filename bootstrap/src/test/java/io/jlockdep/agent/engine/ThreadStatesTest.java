package io.jlockdep.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jlockdep.agent.engine.Fixture.Lock;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * One state per live thread, however often a thread's locals are erased. Found on Caffeine: the
 * common fork-join pool's workers erase their thread-locals after each task, and each task that
 * took a lock started a new state the engine kept for good (100,000 states for 3 live threads after
 * a few seconds), which the deadlock watchdog then walked every second.
 */
class ThreadStatesTest {

    @Test
    void aThreadWhoseLocalsAreErasedKeepsItsOneState() throws Exception {
        Fixture f = new Fixture();
        LockClass cls = f.cls("A");
        Lock a = new Lock("a");
        Set<Thread> workers = new HashSet<>();
        for (int i = 0; i < 200; i++) {
            Thread worker = ForkJoinPool.commonPool() // CompletableFuture would not use it on one core
                    .submit(() -> {
                        f.lock(a, cls);
                        f.unlock(a, cls);
                        return Thread.currentThread();
                    })
                    .get(20, TimeUnit.SECONDS);
            workers.add(worker);
        }
        assertThat(f.engine.threadStates())
                .as("one state per worker that ran a task (%d workers)", workers.size())
                .hasSizeLessThanOrEqualTo(workers.size());
        assertThat(f.reported).isEmpty();
    }
}
