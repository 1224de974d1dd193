package io.jlockdep.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class AgentOptionsTest {

    @Test
    void defaultsWithoutOptions() {
        for (String none : new String[] {null, "", "  "}) {
            AgentOptions o = AgentOptions.parse(none);
            assertThat(o.failFast()).isFalse();
            assertThat(o.report()).isNull();
            assertThat(o.specs()).isEmpty();
            assertThat(o.log()).isEqualTo(io.jlockdep.agent.report.LogOutput.Mode.AUTO);
        }
    }

    @Test
    void everyOption() {
        AgentOptions o =
                AgentOptions.parse("mode=fail,report=target/jlockdep/,spec=a.lockspec;b/c.lockspec,log=stderr");
        assertThat(o.failFast()).isTrue();
        assertThat(o.report()).isEqualTo(Path.of("target/jlockdep"));
        assertThat(o.reportAsGiven()).isEqualTo("target/jlockdep/");
        assertThat(o.specs()).containsExactly(Path.of("a.lockspec"), Path.of("b/c.lockspec"));
        assertThat(o.log()).isEqualTo(io.jlockdep.agent.report.LogOutput.Mode.STDERR);
        assertThat(AgentOptions.parse("suppress=a.supp;b.supp").suppressions())
                .containsExactly(Path.of("a.supp"), Path.of("b.supp"));
        assertThat(AgentOptions.parse("wrappers=org.eclipse.jetty.util.thread.AutoLock;a.B$C")
                        .wrappers())
                .containsExactly("org.eclipse.jetty.util.thread.AutoLock", "a.B$C");
        assertThat(AgentOptions.parse("same-class=report").sameClassReport()).isTrue();
        assertThat(AgentOptions.parse("same-class=order").sameClassReport()).isFalse();
        assertThat(AgentOptions.parse("mode=warn").sameClassReport()).isFalse();
        assertThat(AgentOptions.parse("mode=warn").guards()).isEqualTo(GuardScope.DEFAULT);
        assertThat(AgentOptions.parse("guards=off").guards().mode()).isEqualTo(GuardScope.Mode.OFF);
        assertThat(AgentOptions.parse("guards=all").guards().mode()).isEqualTo(GuardScope.Mode.ALL);
        AgentOptions toggles = AgentOptions.parse("jmx=on,semaphores=off,gates=off,guards=off");
        assertThat(toggles.jmx()).isTrue();
        assertThat(toggles.semaphores()).isFalse();
        assertThat(toggles.gates()).isFalse();
        assertThat(toggles.guards().mode()).isEqualTo(GuardScope.Mode.OFF);
        assertThat(AgentOptions.parse("guards=com.example;org.acme.cache").guards())
                .isEqualTo(new GuardScope(GuardScope.Mode.PACKAGES, List.of("com.example.", "org.acme.cache.")));
        assertThat(AgentOptions.parse("mode=warn,log=off").log())
                .isEqualTo(io.jlockdep.agent.report.LogOutput.Mode.OFF);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(
            delimiter = '|',
            value = {
                "colour=red|unknown option 'colour' (known keys: mode, report, spec, suppress, log, watchdog, jmx, semaphores, gates, same-class, wrappers, guards)",
                "guards=com..example|bad value 'com..example' for option 'guards' (expected on, off, all, or package names",
                "guards=yes|bad value 'yes' for option 'guards' (expected on, off, all, or package names with a dot",
                "mode=loud|bad value 'loud' for option 'mode' (expected warn or fail)",
                "mode|option 'mode' is not key=value",
                "=fail|option '=fail' is not key=value",
                "mode=warn,,log=off|empty option",
                "mode=warn,mode=fail|option 'mode' given twice",
                "report=|option 'report' has no value",
                "spec=a.lockspec;;b.lockspec|option 'spec' has an empty path",
                "log=syslog|bad value 'syslog' for option 'log' (expected auto, slf4j, stderr or off)",
                "same-class=strict|bad value 'strict' for option 'same-class' (expected order or report)",
                "wrappers=com.example.|bad class name 'com.example.' in option 'wrappers'"
            })
    void badOptionsAreNamed(String options, String message) {
        assertThatThrownBy(() -> AgentOptions.parse(options))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(message);
    }
}
