package io.jlockdep.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The start-up wait for the JDK classes' rewrite: bounded, and said when it gives up. */
class MonitorsTest {

    private final List<String> notices = new CopyOnWriteArrayList<>();
    private final Monitors monitors = new Monitors((text, quiet) -> notices.add(text));

    @Test
    void aRewriteThatEndsInTimeIsWaitedForSilently() throws InterruptedException {
        Thread quick = new Thread(() -> {});
        quick.start();
        monitors.awaitJdkClasses(quick, TimeUnit.SECONDS.toNanos(30));
        assertThat(quick.isAlive()).isFalse();
        assertThat(notices).isEmpty();
    }

    @Test
    void aRewriteThatHangsDoesNotHangTheApplicationsStart() throws InterruptedException {
        CountDownLatch never = new CountDownLatch(1);
        Thread stuck = new Thread(() -> {
            try {
                never.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        stuck.setDaemon(true);
        stuck.start();
        monitors.awaitJdkClasses(stuck, TimeUnit.MILLISECONDS.toNanos(50));
        assertThat(stuck.isAlive()).as("start-up went on without it").isTrue();
        assertThat(notices)
                .singleElement()
                .asString()
                .contains("more than 50 ms", "the application starts now", "tracked once it finishes");
        never.countDown();
        stuck.join(TimeUnit.SECONDS.toMillis(10));
    }
}
