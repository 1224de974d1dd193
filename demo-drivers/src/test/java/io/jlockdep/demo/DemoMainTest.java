package io.jlockdep.demo;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class DemoMainTest {

    @Test
    void childrenGetTheUsersOptionsWithTheirOwnMode() {
        assertThat(DemoMain.agentJar("-javaagent:a/jlockdep-agent.jar=log=stderr"))
                .isEqualTo(Path.of("a/jlockdep-agent.jar"));
        assertThat(DemoMain.childOptions("-javaagent:a/jlockdep-agent.jar", true))
                .isEqualTo("mode=fail");
        assertThat(DemoMain.childOptions(
                        "-javaagent:a/jlockdep-agent.jar=mode=fail,log=stderr,report=x.json,spec=s.lockspec", false))
                .isEqualTo("log=stderr,spec=s.lockspec,mode=warn");
    }
}
