package io.jlockdep.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jlockdep.agent.engine.Fixture.Lock;
import io.jlockdep.api.LockdepViolationError;
import io.jlockdep.api.Rules;
import java.util.List;
import org.junit.jupiter.api.Test;

class SuppressionsTest {

    private static Suppressions.Entry entry(String source, String rule, List<String> classes, List<String> frames) {
        return new Suppressions.Entry(
                source,
                rule,
                Suppressions.glob(rule),
                classes.stream().map(Suppressions::glob).toList(),
                frames.stream().map(Suppressions::glob).toList());
    }

    private static Fixture fixture(boolean failFast, Suppressions.Entry... entries) {
        return new Fixture(LockdepConfig.builder()
                .instanceNamer(String::valueOf)
                .failFast(failFast)
                .suppressions(new Suppressions(List.of(entries)))
                .build());
    }

    private static void abba(Fixture f, LockClass a, LockClass b) {
        Lock x = new Lock("x");
        Lock y = new Lock("y");
        f.lock(x, a);
        f.lock(y, b);
        f.unlock(y, b);
        f.unlock(x, a);
        f.lock(y, b);
        f.lock(x, a);
        f.unlock(x, a);
        f.unlock(y, b);
    }

    @Test
    void anEntrySilencesExactlyTheViolationsItMatchesAndCountsThem() {
        Fixture f = fixture(
                false,
                entry("s:1", Rules.CIRCULAR_DEPENDENCY, List.of("*DocumentsWriter", "*TermsHash"), List.of()),
                entry("s:2", "ww/*", List.of(), List.of()));
        abba(f, f.cls("org.apache.lucene.index.DocumentsWriter"), f.cls("org.apache.lucene.index.TermsHash"));
        abba(f, f.cls("DocumentsWriter"), f.cls("Other"));
        abba(f, f.cls("org.apache.lucene.index.DocumentsWriter"), f.cls("org.apache.lucene.index.TermsHash"));
        assertThat(f.reported).as("only the cycle the entry does not name").hasSize(1);
        assertThat(f.reported.get(0).message()).contains("Other");
        assertThat(f.engine.violations()).hasSize(1);
        List<Suppressions.Count> counts = f.engine.suppressions();
        assertThat(counts).extracting(c -> c.entry().source()).containsExactly("s:1", "s:2");
        assertThat(counts).extracting(Suppressions.Count::count).containsExactly(1L, 0L);
    }

    @Test
    void aFramePatternMustMatchAFrameOfTheViolation() {
        Fixture f = fixture(
                false,
                entry("s:1", "lockdep/*", List.of(), List.of("org.example.Nowhere.*")),
                entry("s:2", "lockdep/*", List.of(), List.of("io.jlockdep.agent.engine.SuppressionsTest.abba")));
        abba(f, f.cls("A"), f.cls("B"));
        assertThat(f.reported).isEmpty();
        assertThat(f.engine.suppressions())
                .extracting(Suppressions.Count::count)
                .containsExactly(0L, 1L);
    }

    @Test
    void aSuppressedViolationDoesNotThrowInFailMode() {
        Fixture f = fixture(true, entry("s:1", Rules.CIRCULAR_DEPENDENCY, List.of(), List.of()));
        abba(f, f.cls("A"), f.cls("B"));
        assertThat(f.reported).isEmpty();
        Fixture strict = fixture(true, entry("s:1", Rules.BAD_UNLOCK_BALANCE, List.of(), List.of()));
        assertThatThrownBy(() -> abba(strict, strict.cls("A"), strict.cls("B")))
                .isInstanceOf(LockdepViolationError.class);
    }

    @Test
    void globsQuoteEverythingButTheirWildcards() {
        assertThat(Suppressions.glob("ReentrantLock at com.example.Foo.<init>(*)")
                        .matcher("ReentrantLock at com.example.Foo.<init>(Foo.java:12)")
                        .matches())
                .isTrue();
        assertThat(Suppressions.glob("a.b?").matcher("a.bc").matches()).isTrue();
        assertThat(Suppressions.glob("a.b").matcher("axb").matches()).isFalse();
    }
}
