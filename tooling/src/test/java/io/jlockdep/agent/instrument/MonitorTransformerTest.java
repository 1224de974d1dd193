package io.jlockdep.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import org.junit.jupiter.api.Test;

class MonitorTransformerTest {

    static final class WithBlock {
        final Object lock = new Object();
        int n;

        void inc() {
            synchronized (lock) {
                n++;
            }
        }
    }

    static final class WithWait {
        void await(Object o) throws InterruptedException {
            o.wait(1);
        }
    }

    static final class Plain {
        int twice(int x) {
            return x * 2;
        }
    }

    private static byte[] bytes(Class<?> c) throws IOException {
        try (InputStream in =
                c.getResourceAsStream(c.getName().substring(c.getName().lastIndexOf('.') + 1) + ".class")) {
            return in.readAllBytes();
        }
    }

    @Test
    void classesWithMonitorsOrWaitAreRewrittenOthersAreLeftAlone() throws IOException {
        assertThat(MonitorTransformer.needsRewrite(bytes(WithBlock.class))).isTrue();
        assertThat(MonitorTransformer.needsRewrite(bytes(WithWait.class))).isTrue();
        assertThat(MonitorTransformer.needsRewrite(bytes(Plain.class))).isFalse();
    }

    @Test
    void theRewriteInsertsTheHooksAroundEveryMonitorInstruction() throws IOException {
        byte[] out = new MonitorTransformer()
                .transform(getClass().getClassLoader(), "sample/WithBlock", null, null, bytes(WithBlock.class));
        assertThat(out).isNotNull();
        String text = new String(out, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(text)
                .contains("io/jlockdep/agent/hook/MonitorHooks", "monitorEnter", "monitorEntered", "monitorExit");
        assertThat(new MonitorTransformer()
                        .transform(getClass().getClassLoader(), "sample/Plain", null, null, bytes(Plain.class)))
                .isNull();
        assertThat(new MonitorTransformer().transform(null, "sample/WithBlock", null, null, bytes(WithBlock.class)))
                .as("boot classes are not rewritten")
                .isNull();
    }
}
