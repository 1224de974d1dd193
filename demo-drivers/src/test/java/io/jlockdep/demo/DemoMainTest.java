package io.jlockdep.demo;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class DemoMainTest {

    @Test
    void childrenGetTheUsersOptionsWithTheirOwnMode() {
        assertThat(DemoMain.childOptions("", true)).isEqualTo("mode=fail");
        assertThat(DemoMain.childOptions("mode=fail,log=stderr,report=x.json,spec=s.lockspec", false))
                .isEqualTo("log=stderr,spec=s.lockspec,mode=warn");
    }
}
