package io.jlockdep.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;

/** Surefire runs this without the agent: every checked test fails and says how to attach it. */
class WithoutAgentTest {

    @Test
    void theAgentIsNotAttachedHereEvenThoughItsClassesAreOnTheClassPath() {
        assertThat(JlockdepExtension.agentAttached()).isFalse();
    }

    @Test
    void aCheckedTestFailsWithHowToAttachTheAgentNeverASilentPass() {
        EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(Samples.Clean.class))
                .execute()
                .testEvents()
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                test("mapsUnderTheLock"),
                                finishedWithFailure(message(m -> m.contains("the jlockdep agent is not attached")
                                        && m.contains("-javaagent:")
                                        && m.contains("argLine")))));
    }
}
