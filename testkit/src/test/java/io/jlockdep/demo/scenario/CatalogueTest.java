package io.jlockdep.demo.scenario;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The catalogue without the agent, like a kernel without lockdep: every scenario that is not a
 * self-deadlock runs to its end (the buggy ones too: their threads are sequenced so they never
 * actually deadlock, which is why only a validator finds them), and the drivers do what they
 * model (the scenarios check their own results: re-maps after moves, back-offs under contention).
 */
class CatalogueTest {

    static Stream<String> runnableWithoutAgent() {
        return Catalogue.all().stream().filter(s -> !s.failMode()).map(Scenario::name);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("runnableWithoutAgent")
    void runsToItsEndWithoutTheAgent(String name) {
        Scenario s = Catalogue.get(name);
        assertTimeoutPreemptively(Duration.ofSeconds(60), () -> s.body().run());
    }

    @Test
    void coversEveryRuleFamilyAndHasCorrectFlowsForEveryDriver() {
        assertThat(Catalogue.all())
                .extracting(Scenario::expected)
                .flatMap(x -> x)
                .contains(
                        "dma-buf/importer-locked",
                        "dma-buf/importer-unlocked",
                        "dma-buf/exporter-unlocked-callback",
                        "dma-buf/exporter-locked-callback",
                        "dma-buf/exporter-locked",
                        "lockdep/circular-dependency",
                        "ww/lock-after-edeadlk",
                        "ww/lock-after-done",
                        "ww/unlock-not-held",
                        "lockdep/held-lock-at-exit");
        assertThat(Catalogue.all())
                .filteredOn(Scenario::isCorrect)
                .extracting(Scenario::name)
                .contains("i915-under-load", "amdgpu-under-load", "v4l2-under-load", "udmabuf-under-load", "ww-commit");
        assertThat(Catalogue.all())
                .filteredOn(Scenario::failMode)
                .allSatisfy(s -> assertThat(s.isCorrect()).isFalse());
    }
}
