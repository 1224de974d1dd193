package io.jlockdep.demo;

import static org.assertj.core.api.Assertions.assertThat;

import io.jlockdep.demo.scenario.Catalogue;
import io.jlockdep.demo.scenario.Scenario;
import io.jlockdep.testkit.AgentJvm;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The README's first command, as a user runs it: the demo jar under {@code -javaagent} with the
 * agent jar this build made. Bounded: a run that does not end within five minutes fails.
 */
class DemoIT {

    @TempDir
    Path dir;

    private AgentJvm.Result run(boolean withAgent, String... args) throws IOException, InterruptedException {
        AgentJvm jvm =
                withAgent ? AgentJvm.under(Path.of(System.getProperty("jlockdep.agent.jar"))) : AgentJvm.withoutAgent();
        AgentJvm.Result r =
                jvm.in(dir).timeoutSeconds(300).runJar(Path.of(System.getProperty("jlockdep.demo.jar")), args);
        assertThat(r.timedOut())
                .as("the demo did not end within 5 minutes: %s", r)
                .isFalse();
        return r;
    }

    @Test
    void theWholeCatalogueMatchesItsExpectations() throws Exception {
        AgentJvm.Result r = run(true);
        assertThat(r.exitCode()).as("%s", r).isZero();
        int n = Catalogue.all().size();
        assertThat(r.stdout()).contains(n + "/" + n + " scenarios matched");
        for (Scenario s : Catalogue.all()) {
            String row = r.stdout()
                    .lines()
                    .filter(l -> l.startsWith(s.name() + " "))
                    .reduce((a, b) -> b)
                    .orElse("");
            assertThat(row).as(s.name()).contains(" ok");
            for (String rule : s.expected()) {
                assertThat(row).contains(rule);
            }
        }
        assertThat(r.stdout() + r.stderr())
                .as("the reports are shown as they happen")
                .contains(
                        "WARNING: possible circular locking dependency detected",
                        "jlockdep: rule dma-buf/importer-locked");
        assertThat(r.stdout() + r.stderr())
                .as("fail-mode scenarios end at the call")
                .contains("stopped at the violating call");
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"i915-under-load", "amdgpu-under-load", "v4l2-under-load", "udmabuf-under-load"})
    void eachDriversCorrectFlowsUnderLoadReportNothing(String scenario) throws Exception {
        AgentJvm.Result r = run(true, scenario);
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.stdout()).contains("1/1 scenarios matched");
        assertThat(r.stdout() + r.stderr()).doesNotContain("jlockdep: rule");
        assertThat(r.stdout()
                        .lines()
                        .filter(l -> l.startsWith(scenario + " "))
                        .findFirst()
                        .orElse(""))
                .matches(scenario + "\\s+-\\s+-\\s+ok");
    }

    @Test
    void listPrintsOneScenarioPerLineWithItsDescription() throws Exception {
        AgentJvm.Result r = run(false, "--list");
        assertThat(r.exitCode()).isZero();
        List<String> lines = r.stdout().lines().toList();
        assertThat(lines).hasSize(Catalogue.all().size());
        for (int i = 0; i < lines.size(); i++) {
            Scenario s = Catalogue.all().get(i);
            assertThat(lines.get(i)).startsWith(s.name() + " ").endsWith(s.description());
        }
    }

    @Test
    void withoutTheAgentItSaysSoAndHowToAttachIt() throws Exception {
        AgentJvm.Result r = run(false);
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr())
                .contains(
                        "the jlockdep agent is not attached",
                        "java -javaagent:agent/target/jlockdep-agent.jar -jar demo-drivers/target/jlockdep-demo.jar");
    }

    @Test
    void anUnknownScenarioIsNamed() throws Exception {
        AgentJvm.Result r = run(true, "no-such-thing");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.stderr()).contains("no scenario 'no-such-thing'");
    }
}
