package io.jlockdep.agent.specfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jlockdep.agent.engine.Suppressions;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SuppressionFilesTest {

    private static final List<String> RULES =
            List.of("lockdep/circular-dependency", "lockdep/deadlock", "ww/two-contexts", "ledger/post-locked");

    @Test
    void entriesCommentsQuotesAndGlobs() {
        List<Suppressions.Entry> entries = SuppressionFiles.parse(
                "f.supp",
                "\uFEFF# judged\n\n"
                        + "lockdep/circular-dependency class=*DocumentsWriter class=\"ReentrantLock at x.Y.<init>(*)\"  # why\n"
                        + "  ledger/* frame=com.example.Ledger.*\r\n"
                        + "ww/*\n",
                RULES);
        assertThat(entries).extracting(Suppressions.Entry::source).containsExactly("f.supp:3", "f.supp:4", "f.supp:5");
        Suppressions.Entry first = entries.get(0);
        assertThat(first.text())
                .isEqualTo(
                        "lockdep/circular-dependency class=*DocumentsWriter class=\"ReentrantLock at x.Y.<init>(*)\"");
        assertThat(first.classes()).hasSize(2);
        assertThat(first.classes()
                        .get(1)
                        .matcher("ReentrantLock at x.Y.<init>(Y.java:3)")
                        .matches())
                .isTrue();
        assertThat(entries.get(1).frames()).hasSize(1);
        assertThat(entries.get(2).rule().matcher("ww/two-contexts").matches()).isTrue();
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "lockdep/circular-dependancy|f:1:1: rule 'lockdep/circular-dependancy' matches no rule of this JVM",
                "Lockdep/Deadlock|f:1:1: expected a rule ID such as lockdep/circular-dependency",
                "lockdep/deadlock klass=Foo|f:1:18: unknown selector 'klass' (expected class=GLOB or frame=GLOB)",
                "lockdep/deadlock Foo|f:1:18: unknown selector 'Foo' (expected class=GLOB or frame=GLOB)",
                "lockdep/deadlock class=|f:1:24: class= has no pattern",
                "lockdep/deadlock class=\"a b|f:1:24: unterminated quoted value",
                "lockdep/deadlock class=\"a\"b|f:1:27: expected a space after the quoted value"
            })
    void aMalformedEntryIsNamedByLineAndColumn(String line, String message) {
        assertThatThrownBy(() -> SuppressionFiles.parse("f", line, RULES))
                .isInstanceOf(SpecException.class)
                .hasMessageStartingWith(message);
    }

    @Test
    void filesAreReadLikeSpecFiles(@TempDir Path dir) throws Exception {
        assertThatThrownBy(() -> SuppressionFiles.load(List.of(dir.resolve("none.supp")), RULES))
                .hasMessageStartingWith("option 'suppress': no such file");
        assertThatThrownBy(() -> SuppressionFiles.load(List.of(dir), RULES))
                .hasMessageContaining("is not a regular file (a directory)");
        Path bad = Files.writeString(dir.resolve("bad.supp"), "# ok\nlockdep/nothing\n");
        assertThatThrownBy(() -> SuppressionFiles.load(List.of(bad), RULES))
                .hasMessageStartingWith("malformed suppression file " + bad + ":2:1: rule 'lockdep/nothing'");
        Path good = Files.writeString(dir.resolve("good.supp"), "lockdep/deadlock\n");
        assertThat(SuppressionFiles.load(List.of(good, good), RULES).counts()).hasSize(2);
    }
}
