package io.jlockdep.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import org.junit.jupiter.api.Test;

/** {@link GuardScope}: which classes have their lock contracts checked. */
class GuardScopeTest {

    private static ProtectionDomain from(String url) throws Exception {
        return new ProtectionDomain(new CodeSource(new URL(url), (Certificate[]) null), null);
    }

    @Test
    void byDefaultTheBuildsOwnDirectoriesNotItsJars() throws Exception {
        GuardScope on = GuardScope.parse("on");
        assertThat(on.checks("com/example/Cache", from("file:/work/app/target/classes/")))
                .isTrue();
        assertThat(on.checks("com/example/CacheTest", from("file:/work/app/target/test-classes/")))
                .isTrue();
        assertThat(on.checks(
                        "com/github/benmanes/caffeine/cache/Node",
                        from("file:/root/.m2/repository/caffeine-3.1.8.jar")))
                .as("a library's contracts are its own authors'")
                .isFalse();
        assertThat(on.checks("com/example/Generated", null))
                .as("no code source")
                .isFalse();
    }

    @Test
    void allAndPackagesAndOff() throws Exception {
        ProtectionDomain jar = from("file:/libs/acme.jar");
        assertThat(GuardScope.parse("all").checks("org/acme/Pool", jar)).isTrue();
        GuardScope acme = GuardScope.parse("org.acme;com.example.cache");
        assertThat(acme.checks("org/acme/Pool", jar)).isTrue();
        assertThat(acme.checks("com/example/cache/Lru$Node", jar)).isTrue();
        assertThat(acme.checks("org/acmex/Pool", jar))
                .as("a prefix is a package, not a string")
                .isFalse();
        assertThat(acme.checks("com/example/Other", from("file:/app/target/classes/")))
                .isFalse();
        assertThat(GuardScope.parse("off").checks("com/example/Cache", from("file:/app/target/classes/")))
                .isFalse();
    }
}
