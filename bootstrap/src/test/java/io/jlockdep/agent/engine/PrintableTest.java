package io.jlockdep.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jlockdep.api.Printable;
import org.junit.jupiter.api.Test;

/** {@link Printable}: what the agent echoes cannot forge a log line (issue 27 items 18 and 20). */
class PrintableTest {

    @Test
    void controlLineAndFormatCharactersAndLoneSurrogatesAreEscaped() {
        assertThat(Printable.escape("a\nb\rc\u0000d\u001be\u2028f\u2029g\uFEFFh\uD83Di"))
                .isEqualTo("a\\u000ab\\u000dc\\u0000d\\u001be\\u2028f\\u2029g\\ufeffh\\ud83di");
        assertThat(Printable.escape("pair \uD83D\uDE00 and caf\u00e9")).isEqualTo("pair \uD83D\uDE00 and caf\u00e9");
        String plain = "worker-1";
        assertThat(Printable.escape(plain)).isSameAs(plain);
        assertThat(Printable.escape(null)).isNull();
    }

    @Test
    void loneSurrogatesAloneAreEscapedForAFile() {
        assertThat(Printable.escapeLoneSurrogates("worker-\uD83D\n\uD83D\uDE00 \uDE00"))
                .isEqualTo("worker-\\ud83d\n\uD83D\uDE00 \\ude00");
        String plain = "line\nbreak";
        assertThat(Printable.escapeLoneSurrogates(plain)).isSameAs(plain);
    }

    @Test
    void anUnnamedThreadIsNamedByItsIdAsTheJdkDoes() {
        Thread unnamed = new Thread(() -> {}, "");
        assertThat(Printable.thread(unnamed)).isEqualTo("Thread[#" + unnamed.getId() + "]");
        assertThat(Printable.thread(new Thread(() -> {}, "evil\n[main] INFO x")))
                .isEqualTo("evil\\u000a[main] INFO x");
    }
}
