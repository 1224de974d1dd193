package io.jlockdep.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DemoMainTest {

    @Test
    void childrenGetTheUsersOptionsWithTheirOwnModeAndReport() {
        Path report = Path.of("/tmp/r.json");
        assertThat(DemoMain.childAgentArgument("-javaagent:a/jlockdep-agent.jar", true, report))
                .isEqualTo("-javaagent:a/jlockdep-agent.jar=mode=fail,report=/tmp/r.json");
        assertThat(DemoMain.childAgentArgument(
                        "-javaagent:a/jlockdep-agent.jar=mode=fail,log=stderr,report=x.json,spec=s.lockspec",
                        false,
                        report))
                .isEqualTo("-javaagent:a/jlockdep-agent.jar=log=stderr,spec=s.lockspec,mode=warn,report=/tmp/r.json");
    }
}
