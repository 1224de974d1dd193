package io.jlockdep.agent.specfile;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jlockdep.agent.engine.ApiRule;
import io.jlockdep.agent.spec.LockPath;
import io.jlockdep.agent.spec.LockSpec;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class SpecParserTest {

    private static final String GOOD = String.join(
            "\n",
            "# a comment",
            "spec ledger   # trailing comment",
            "",
            "rule post-locked must-hold",
            "  text \"post() needs \\\"the\\\" lock\"",
            "  cite \"notes, rule 1\"",
            "  method com.example.Ledger#post(long, com.example.Entry) lock this.lock named \"ledger->lock\" as Ledger.post",
            "  method com.example.Ledger$Inner#undo lock arg1.owner().mutex named \"entry->owner->mutex\" as undo",
            "end",
            "rule fetch callback-unlocked",
            "  text \"t\"",
            "  cite \"c\"",
            "  method com.example.Source#fetch lock return.lock() named \"src\" as fetch",
            "end");

    @Test
    void crLfLinesAndUnicodeMemberNamesParseAsTheyDid() {
        LockSpec spec = SpecParser.parse(
                "w.lockspec", "spec w\r\nclass \"n\" allocated-in a.B.<clinit>\r\nclass \"m\" field a.B.zähler\r\n");
        assertThat(spec.classes())
                .extracting(LockSpec.ClassAssignment::target, LockSpec.ClassAssignment::line)
                .containsExactly(
                        org.assertj.core.groups.Tuple.tuple("a.B.<clinit>", 2),
                        org.assertj.core.groups.Tuple.tuple("a.B.zähler", 3));
    }

    @Test
    void parsesRulesEntriesPathsAndOverloads() {
        LockSpec spec = SpecParser.parse("ledger.lockspec", GOOD);
        assertThat(spec.name()).isEqualTo("ledger");
        assertThat(spec.rules()).hasSize(2);
        LockSpec.Rule post = spec.rules().get(0);
        assertThat(post.kind()).isEqualTo(ApiRule.Kind.MUST_HOLD);
        assertThat(post.text()).isEqualTo("post() needs \"the\" lock");
        LockSpec.Entry e0 = post.entries().get(0);
        assertThat(e0.className()).isEqualTo("com.example.Ledger");
        assertThat(e0.methodName()).isEqualTo("post");
        assertThat(e0.parameters()).containsExactly("long", "com.example.Entry");
        assertThat(e0.lock().root()).isEqualTo(LockPath.THIS);
        assertThat(e0.lock().steps()).containsExactly("lock");
        assertThat(e0.lock().isMethod()).containsExactly(false);
        assertThat(e0.line()).isEqualTo(7);
        LockSpec.Entry e1 = post.entries().get(1);
        assertThat(e1.className()).isEqualTo("com.example.Ledger$Inner");
        assertThat(e1.parameters()).isNull();
        assertThat(e1.lock().root()).isEqualTo(1);
        assertThat(e1.lock().steps()).containsExactly("owner", "mutex");
        assertThat(e1.lock().isMethod()).containsExactly(true, false);
        assertThat(spec.rules().get(1).entries().get(0).lock().atExit()).isTrue();
        ApiRule rule = spec.apiRule(post, e0);
        assertThat(rule.id()).isEqualTo("ledger/post-locked");
        assertThat(rule.function()).isEqualTo("Ledger.post");
        assertThat(rule.lockDescription()).isEqualTo("ledger->lock");
        assertThat(rule.citation()).isEqualTo("notes, rule 1");
    }

    static Stream<Arguments> malformed() {
        String rule = "spec s\nrule r must-hold\n text \"t\"\n cite \"c\"\n";
        String method = " method a.B#m lock this named \"l\" as m\n";
        return Stream.of(
                Arguments.of("rule r must-hold", "1:1", "expected 'spec <name>' as the first statement"),
                Arguments.of("spec Bad_Name", "1:6", "spec name"),
                Arguments.of("spec s\nrule r must-hodl", "2:8", "unknown rule kind 'must-hodl'"),
                Arguments.of(rule + " method a.B lock this named \"l\" as m\nend", "5:9", "expected <class>#<method>"),
                Arguments.of(
                        rule + " method a.B#m(int lock this\nend", "5:14", "expected ')' closing the parameter types"),
                Arguments.of(rule + " method a.B#m lock self named \"l\" as m\nend", "5:20", "self"),
                Arguments.of(rule + " method a.B#m frob this\nend", "5:15", "expected 'lock <path>'"),
                Arguments.of(rule + "end", "5:1", "has no 'method'"),
                Arguments.of("spec s\nrule r must-hold\n cite \"c\"\n" + method + "end", "5:1", "has no 'text'"),
                Arguments.of("spec s\nrule r must-hold\n text \"unterminated\nend", "3:7", "unterminated string"),
                Arguments.of(rule + method, "6:1", "started at line 2 has no 'end'"),
                Arguments.of(rule + method + "end\nrule r must-hold", "7:6", "duplicate rule 'r'"),
                Arguments.of("spec s\nfrobnicate", "2:1", "unknown statement 'frobnicate'"),
                Arguments.of("spec s", "1:1", "has no rule"),
                Arguments.of(
                        "spec s\nclass session field a.B.c", "2:7", "expected the lock class's name as a non-empty"),
                Arguments.of("spec s\nclass \"n\" at a.B.c", "2:11", "expected 'field' or 'allocated-in', found 'at'"),
                Arguments.of(
                        "spec s\nclass \"n\" field lock", "2:17", "expected Owner.field with a fully qualified class"),
                Arguments.of(
                        "spec s\nclass \"n\" allocated-in B",
                        "2:24",
                        "expected Owner.method with a fully qualified class"),
                Arguments.of(rule + "class \"n\" field a.B.c\nend", "5:1", "'class' inside rule 'r'"),
                // the lexical rules, checked by hand (no regular expressions at start-up)
                Arguments.of("spec 9lives", "1:6", "of lowercase letters, digits and '-'"),
                Arguments.of("spec s\nrule Post must-hold", "2:6", "of lowercase letters, digits and '-'"),
                Arguments.of(rule + " method a..B#m lock this\nend", "5:9", "a..B"),
                Arguments.of(
                        rule + " method a.B#m lock arg4 named \"l\" as m\nend", "5:20", "can start at arg0 to arg3"),
                Arguments.of(
                        rule + " method a.B#m lock arg12 named \"l\" as m\nend", "5:20", "can start at arg0 to arg3"),
                Arguments.of(
                        rule + " method a.B#m lock argx named \"l\" as m\nend",
                        "5:20",
                        "starts with this, argN or return"),
                Arguments.of(rule + " method a.B#m lock this.2x named \"l\" as m\nend", "5:25", "found '2x'"),
                Arguments.of("spec s\nclass \"n\" field a.B.9", "2:17", "expected Owner.field"),
                Arguments.of("spec s\nclass \"n\" field a.-B.c", "2:17", "expected Owner.field"));
    }

    @ParameterizedTest(name = "{2}")
    @MethodSource("malformed")
    void errorsNameFileLineColumnAndWhatWasExpected(String text, String where, String what) {
        assertThatThrownBy(() -> SpecParser.parse("x.lockspec", text))
                .isInstanceOf(SpecException.class)
                .hasMessageStartingWith("x.lockspec:" + where + ": ")
                .hasMessageContaining(what);
    }

    @Test
    void classStatementsNameLockClassesByFieldOrAllocatingMethod() {
        LockSpec spec = SpecParser.parse(
                "c.lockspec",
                "spec c\nclass \"system session\" allocated-in org.h2.engine.Database.<init>\n"
                        + "class \"cache lock\" field com.example.Cache$Inner.lock  # a comment\n");
        assertThat(spec.rules()).isEmpty();
        assertThat(spec.classes())
                .containsExactly(
                        new LockSpec.ClassAssignment("system session", false, "org.h2.engine.Database.<init>", 2),
                        new LockSpec.ClassAssignment("cache lock", true, "com.example.Cache$Inner.lock", 3));
    }

    @Test
    void everyKindHasItsKeyword() {
        for (String kind : List.of(
                "must-hold", "must-not-hold", "callback-locked", "callback-unlocked", "must-not-acquire-inside")) {
            LockSpec spec = SpecParser.parse(
                    "k.lockspec",
                    "spec k\nrule r " + kind
                            + "\n text \"t\"\n cite \"c\"\n method a.B#m lock this named \"l\" as m\nend\n");
            assertThat(spec.rules().get(0).kind().name())
                    .isEqualTo(kind.toUpperCase().replace('-', '_'));
        }
    }
}
