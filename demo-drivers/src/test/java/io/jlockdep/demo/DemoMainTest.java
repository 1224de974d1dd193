package io.jlockdep.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DemoMainTest {

    @Test
    void childrenGetTheUsersOptionsWithTheirOwnMode() {
        assertThat(DemoMain.childOptions("", true)).isEqualTo("guards=io.jlockdep.demo,mode=fail");
        assertThat(DemoMain.childOptions("mode=fail,log=stderr,report=x.json,spec=s.lockspec", false))
                .isEqualTo("log=stderr,spec=s.lockspec,guards=io.jlockdep.demo,mode=warn");
        assertThat(DemoMain.childOptions("guards=all", false))
                .as("the user's choice")
                .isEqualTo("guards=all,mode=warn");
    }
}
