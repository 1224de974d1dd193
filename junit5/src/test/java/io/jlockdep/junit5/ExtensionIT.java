package io.jlockdep.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.testkit.engine.EventConditions.event;
import static org.junit.platform.testkit.engine.EventConditions.finishedSuccessfully;
import static org.junit.platform.testkit.engine.EventConditions.finishedWithFailure;
import static org.junit.platform.testkit.engine.EventConditions.test;
import static org.junit.platform.testkit.engine.TestExecutionResultConditions.message;

import org.junit.jupiter.api.Test;
import org.junit.platform.testkit.engine.EngineTestKit;
import org.junit.platform.testkit.engine.Events;

/**
 * The extension in a JVM with the agent attached (Failsafe's argLine, as the README's recipe):
 * sample test classes run through JUnit's EngineTestKit, and their outcomes are checked.
 */
class ExtensionIT {

    private static Events run(Class<?> sample) {
        return EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(sample))
                .execute()
                .testEvents();
    }

    @Test
    void theAgentIsAttachedHere() {
        assertThat(JlockdepExtension.agentAttached()).isTrue();
    }

    @Test
    void aCorrectTestPasses() {
        run(Samples.Clean.class).assertStatistics(s -> s.succeeded(1).failed(0));
    }

    @Test
    void aViolationFailsTheTestWithTheLockdepReport() {
        run(Samples.MapsUnlocked.class)
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                test("mapsWithoutTheLock"),
                                finishedWithFailure(message(m -> m.contains(
                                                "1 locking violation(s) during mapsWithoutTheLock()")
                                        && m.contains("dma-buf/importer-locked")
                                        && m.contains("dma_buf_map_attachment without attach->dmabuf->resv held")))));
    }

    @Test
    void aBrokenGuardedByContractFailsTheTest() {
        run(Samples.GuardedFieldUnlocked.class)
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                test("writesWithoutTheLock"),
                                finishedWithFailure(message(m -> m.contains("guard/unguarded-read")
                                        && m.contains("reads io.jlockdep.junit5.Samples$Inventory.count without"
                                                + " holding 'lock'")))));
    }

    @Test
    void aViolationOnAThreadTheTestStartedFailsIt() {
        run(Samples.OnAThreadItStarted.class)
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                test("aWorkerMapsWithoutTheLock"),
                                finishedWithFailure(
                                        message(m -> m.contains("dma-buf/importer-locked") && m.contains("worker")))));
    }

    @Test
    void aTestEndingWithALockHeldFails() {
        try {
            run(Samples.EndsHoldingALock.class)
                    .assertThatEvents()
                    .haveExactly(
                            1,
                            event(
                                    test("forgetsToUnlock"),
                                    finishedWithFailure(message(m -> m.contains("lockdep/held-lock-at-exit")
                                            && m.contains("the end of test forgetsToUnlock()")))));
        } finally {
            Samples.EndsHoldingALock.LOCK.unlock(); // EngineTestKit ran it on this thread
        }
    }

    @Test
    void theSameBugInTwoTestsFailsBothAndTheNextCleanTestPasses() {
        Events events = run(Samples.SameBugTwiceThenClean.class);
        events.assertStatistics(s -> s.succeeded(1).failed(2));
        events.assertThatEvents()
                .haveExactly(
                        1,
                        event(test("first"), finishedWithFailure(message(m -> m.contains("dma-buf/importer-locked")))))
                .haveExactly(
                        1,
                        event(test("second"), finishedWithFailure(message(m -> m.contains("dma-buf/importer-locked")))))
                .haveExactly(1, event(test("thenACleanTest"), finishedSuccessfully()));
    }

    @Test
    void aCycleClosedByALaterTestFailsThatTest() {
        Events events = run(Samples.AbbaAcrossTests.class);
        events.assertThatEvents()
                .haveExactly(1, event(test("aThenB"), finishedSuccessfully()))
                .haveExactly(
                        1,
                        event(
                                test("bThenA"),
                                finishedWithFailure(message(m -> m.contains("lockdep/circular-dependency")
                                        && m.contains("possible circular locking dependency")))));
    }

    @Test
    void anExpectedViolationPassesAndAnExpectedOneThatDoesNotHappenFails() {
        Events events = run(Samples.Expects.class);
        events.assertThatEvents()
                .haveExactly(1, event(test("theViolationItExpects"), finishedSuccessfully()))
                .haveExactly(
                        1,
                        event(
                                test("anExpectedViolationThatDoesNotHappen"),
                                finishedWithFailure(message(m -> m.contains("expected violation(s) did not happen")
                                        && m.contains("dma-buf/importer-locked")))));
    }

    @Test
    void autoDetectionRegistersItWithoutTheAnnotation() {
        EngineTestKit.engine("junit-jupiter")
                .selectors(selectClass(Samples.NotAnnotated.class))
                .configurationParameter("junit.jupiter.extensions.autodetection.enabled", "true")
                .execute()
                .testEvents()
                .assertThatEvents()
                .haveExactly(
                        1,
                        event(
                                test("mapsWithoutTheLock"),
                                finishedWithFailure(message(m -> m.contains("dma-buf/importer-locked")))));
    }

    @Test
    void withoutAutoDetectionAnUnannotatedTestIsNotChecked() {
        run(Samples.NotAnnotated.class).assertStatistics(s -> s.succeeded(1));
    }
}
