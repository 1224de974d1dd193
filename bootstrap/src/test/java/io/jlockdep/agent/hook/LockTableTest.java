package io.jlockdep.agent.hook;

import static org.assertj.core.api.Assertions.assertThat;

import io.jlockdep.agent.engine.LockClass;
import io.jlockdep.agent.engine.Lockdep;
import io.jlockdep.agent.engine.LockdepConfig;
import io.jlockdep.agent.engine.ViolationSink;
import io.jlockdep.api.Violation;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LockTableTest {

    private final Lockdep engine = new Lockdep(LockdepConfig.defaults(), new ViolationSink() {
        @Override
        public void onViolation(Violation violation) {}

        @Override
        public void onNotice(String notice) {}
    });
    private final LockClass a = engine.lockClass("a", "a", LockClass.Kind.MUTEX);
    private final LockClass b = engine.lockClass("b", "b", LockClass.Kind.MUTEX);

    @Test
    void findsByIdentityNotEquality() {
        LockTable table = new LockTable();
        String k1 = new String("same");
        String k2 = new String("same");
        table.put(k1, a, "k1");
        assertThat(table.get(k1).cls).isSameAs(a);
        assertThat(table.get(k2)).isNull();
        table.put(k2, b, "k2");
        assertThat(table.get(k2).name).isEqualTo("k2");
        table.put(k1, b, "k1 again");
        assertThat(table.get(k1).cls).isSameAs(b);
        assertThat(table.size()).isEqualTo(2);
    }

    @Test
    void growsAndKeepsEveryLiveEntry() {
        LockTable table = new LockTable();
        List<Object> keys = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            Object k = new Object();
            keys.add(k);
            table.put(k, i % 2 == 0 ? a : b, "k" + i);
        }
        for (int i = 0; i < keys.size(); i++) {
            assertThat(table.get(keys.get(i)).name).isEqualTo("k" + i);
        }
        assertThat(table.size()).isEqualTo(20_000);
    }

    @Test
    void doesNotKeepDroppedLocksAlive() throws InterruptedException {
        LockTable table = new LockTable();
        Object k = new Object();
        WeakReference<Object> ref = new WeakReference<>(k);
        table.put(k, a, "dropped");
        k = null;
        for (int i = 0; i < 50 && ref.get() != null; i++) {
            System.gc();
            Thread.onSpinWait();
        }
        assertThat(ref.get()).as("the table holds its keys weakly").isNull();
        for (int i = 0; i < 2_000; i++) {
            table.put(new Object(), a, "churn"); // rebuilds drop collected entries
        }
        assertThat(table.size()).isLessThan(2_001);
    }

    @Test
    void readersOnOtherThreadsSeeEntriesPublishedBeforeTheKey() throws Exception {
        LockTable table = new LockTable();
        List<Object> published = java.util.Collections.synchronizedList(new ArrayList<>());
        CountDownLatch done = new CountDownLatch(1);
        List<String> misses = java.util.Collections.synchronizedList(new ArrayList<>());
        Thread reader = new Thread(
                () -> {
                    while (done.getCount() > 0 || !published.isEmpty()) {
                        Object k;
                        synchronized (published) {
                            k = published.isEmpty() ? null : published.remove(0);
                        }
                        if (k != null && table.get(k) == null) {
                            misses.add(String.valueOf(k));
                        }
                    }
                },
                "reader");
        reader.start();
        for (int i = 0; i < 50_000; i++) {
            Object k = new Object();
            table.put(k, a, "x");
            published.add(k);
        }
        done.countDown();
        reader.join(TimeUnit.SECONDS.toMillis(30));
        assertThat(reader.isAlive()).isFalse();
        assertThat(misses).isEmpty();
    }
}
