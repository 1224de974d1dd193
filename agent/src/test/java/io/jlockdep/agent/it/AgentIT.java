package io.jlockdep.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jlockdep.testkit.AgentJvm;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The agent as users run it: a JVM started with {@code -javaagent:target/jlockdep-agent.jar}
 * runs one scenario of {@code io.jlockdep.scenarios.Scenarios}; the test reads the rule IDs from
 * the JSON report. Runs on whatever JDK runs the build (CI runs it on 17 and on 25).
 */
class AgentIT {

    @TempDir
    Path dir;

    /** The names of the lock classes in a run's report graph. */
    @SuppressWarnings("unchecked")
    private static List<String> classNames(AgentJvm.Result r) {
        List<Map<String, Object>> classes = (List<Map<String, Object>>)
                ForkedJvm.asMap(r.report().get("graph")).get("classes");
        return classes.stream().map(c -> (String) c.get("name")).toList();
    }

    /** The text of the one report of a scenario that must give exactly one {@code lockdep/circular-dependency}. */
    private String theOneCycleOf(String scenario) throws IOException, InterruptedException {
        AgentJvm.Result r = warn(scenario);
        assertThat(r.rules()).as("%s", r).containsExactly("lockdep/circular-dependency");
        return (String) r.violations().get(0).get("text");
    }

    private AgentJvm.Result warn(String scenario) throws IOException, InterruptedException {
        AgentJvm.Result r = ForkedJvm.run(dir, "", scenario);
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.stdout()).as("%s", r).contains("done " + scenario);
        return r;
    }

    @Nested
    class DmaBufRules {

        @ParameterizedTest(name = "{0} reports {1}")
        @CsvSource({
            "importer-maps-unlocked, dma-buf/importer-locked",
            "importer-fd-locked, dma-buf/importer-unlocked",
            "callback-called-locked, dma-buf/exporter-unlocked-callback",
            "callback-called-unlocked, dma-buf/exporter-locked-callback",
            "move-notify-unlocked, dma-buf/exporter-locked"
        })
        void eachRuleIsReportedOnceByItsId(String scenario, String rule) throws Exception {
            AgentJvm.Result r = warn(scenario);
            assertThat(r.rules()).as("%s", r).containsExactly(rule);
            Map<String, Object> v = r.violations().get(0);
            assertThat((String) v.get("citation")).contains("drivers/dma-buf/dma-buf.c");
            assertThat((String) v.get("thread")).isEqualTo("main");
            assertThat((String) v.get("text")).contains("rule " + rule);
            assertThat(r.stderr()).as("printed as it happens").contains(rule);
        }

        @Test
        void correctUseOfTheWholeApiReportsNothing() throws Exception {
            AgentJvm.Result r = warn("whole-api");
            assertThat(r.rules()).as("%s", r).isEmpty();
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> edges = (List<Map<String, Object>>)
                    ForkedJvm.asMap(r.report().get("graph")).get("edges");
            assertThat(edges).as("the exporter's locks were still seen").isNotNull();
        }
    }

    @Nested
    class Graph {

        @Test
        void cycleThroughMonitorReentrantLockAndReservationAcrossThreads() throws Exception {
            AgentJvm.Result r = warn("mixed-cycle");
            assertThat(r.rules()).as("%s", r).containsExactly("lockdep/circular-dependency");
            String text = (String) r.violations().get(0).get("text");
            assertThat(text)
                    .contains(
                            "io.jlockdep.scenarios.Scenarios.MONITOR",
                            "ReentrantLock at io.jlockdep.scenarios.Scenarios.mixedCycle",
                            "reservation_ww_class_mutex",
                            "first",
                            "second");
        }

        @Test
        void twoComponentsWithTheirOwnObjectLocksAroundASharedRegistryAreSilent() throws Exception {
            AgentJvm.Result r = warn("object-lock-components");
            assertThat(r.rules()).as("%s", r).isEmpty();
            assertThat(classNames(r))
                    .contains(
                            "io.jlockdep.scenarios.ObjectLocks$Cache.lock",
                            "io.jlockdep.scenarios.ObjectLocks$Index.lock",
                            "io.jlockdep.scenarios.ObjectLocks$Registry",
                            "java.lang.Object locked in io.jlockdep.scenarios.ObjectLocks")
                    .doesNotContain("java.lang.Object");
        }

        @Test
        void twoObjectLocksTakenInBothOrdersAreACycleNamedByTheirFields() throws Exception {
            AgentJvm.Result r = warn("object-lock-inversion");
            assertThat(r.rules()).as("%s", r).containsExactly("lockdep/circular-dependency");
            assertThat((String) r.violations().get(0).get("message"))
                    .contains("io.jlockdep.scenarios.ObjectLocks$Cache.lock")
                    .contains("io.jlockdep.scenarios.ObjectLocks$Index.lock");
        }

        @Test
        void aLockWrappersLocksBelongToWhereTheWrapperIsMade() throws Exception {
            AgentJvm.Result r = warn("wrapper-guards");
            assertThat(r.rules()).as("%s", r).isEmpty();
            List<String> names = classNames(r);
            assertThat(names)
                    .filteredOn(n -> n.startsWith("Guard at io.jlockdep.scenarios.Wrappers$Pool.<init>(Wrappers.java:"))
                    .as("every Pool's guard: one class (the pools are made by an ordinary method: no roles)")
                    .hasSize(1);
            assertThat(names)
                    .filteredOn(
                            n -> n.startsWith("Guard at io.jlockdep.scenarios.Wrappers$Server.<init>(Wrappers.java:"))
                    .hasSize(1);
            assertThat(names)
                    .as("no class is keyed by the wrapper's own constructor alone")
                    .noneMatch(n -> n.startsWith("ReentrantLock at io.jlockdep.scenarios.Wrappers$Guard.<init>"));
        }

        @Test
        void twoLocksOneWrapperAllocatesAreTwoClasses() throws Exception {
            // Found on Caffeine: its cache (a wrapper by its bytecode) allocates its eviction lock
            // and its map; both were one class, so the map under the eviction lock was nesting
            // within one class: a report under same-class=report, the slow path under the default.
            AgentJvm.Result r = ForkedJvm.run(dir, "same-class=report", "wrapper-two-locks");
            assertThat(r.rules()).as("%s", r).isEmpty();
            String site = "TwoLockCache at io.jlockdep.scenarios.Wrappers.twoLockWrapper(Wrappers.java:";
            assertThat(classNames(r))
                    .filteredOn(n -> n.startsWith(site))
                    .as("the eviction lock and the data lock of every cache made at that site")
                    .hasSize(2)
                    .allMatch(n ->
                            n.contains(", its ReentrantLock at io.jlockdep.scenarios.Wrappers$TwoLockCache.<init>("));
        }

        @Test
        void optionWrappersNamesAWrapperTheBytecodeDoesNotShow() throws Exception {
            AgentJvm.Result plain = warn("wrapper-holders");
            assertThat(plain.rules())
                    .as("each Holder's lock is keyed by where its Holder was made (issue 28): two classes")
                    .isEmpty();
            assertThat(classNames(plain))
                    .anyMatch(n -> n.contains(
                            "for the io.jlockdep.scenarios.Wrappers$Holder made at io.jlockdep.scenarios.Wrappers$Pool"
                                    + ".<init>(Wrappers.java:"))
                    .anyMatch(n -> n.contains(
                            "for the io.jlockdep.scenarios.Wrappers$Holder made at io.jlockdep.scenarios.Wrappers$Server"
                                    + ".<init>(Wrappers.java:"));
            AgentJvm.Result named =
                    ForkedJvm.run(dir, "wrappers=io.jlockdep.scenarios.Wrappers$Holder", "wrapper-holders");
            assertThat(named.rules()).as("%s", named).isEmpty();
            assertThat(classNames(named))
                    .anyMatch(n -> n.startsWith("Holder at io.jlockdep.scenarios.Wrappers$Pool.<init>("))
                    .anyMatch(n -> n.startsWith("Holder at io.jlockdep.scenarios.Wrappers$Server.<init>("));
        }

        @Test
        void anAbbaUnderOneGateLockIsSilentUnlessGatesAreOff() throws Exception {
            assertThat(warn("gated-abba").rules()).isEmpty();
            AgentJvm.Result strict = ForkedJvm.run(dir, "gates=off", "gated-abba");
            assertThat(strict.rules()).containsExactly("lockdep/circular-dependency");
        }

        @Test
        void aLaterCycleSaysWhichGateLocksWereConsidered() throws Exception {
            AgentJvm.Result r = warn("mixed-cycle");
            assertThat((String) r.violations().get(0).get("message")).contains("Gate locks considered: none");
        }

        @Test
        void trylockAddsNoDependency() throws Exception {
            assertThat(warn("trylock-no-cycle").rules()).isEmpty();
        }

        @Test
        void consistentlyOrderedSameClassNestingIsNotReported() throws Exception {
            assertThat(warn("same-class-ordered").rules()).isEmpty();
        }

        @Test
        void sameClassReportGivesTheKernelsStrictVerdictOnOrderedNesting() throws Exception {
            AgentJvm.Result r = ForkedJvm.run(dir, "same-class=report", "same-class-ordered");
            assertThat(r.exitCode()).as("%s", r).isZero();
            assertThat(r.rules())
                    .as("the two Accounts' monitors, and the two ReentrantLocks of one allocation site")
                    .containsExactly("lockdep/recursive-locking", "lockdep/recursive-locking");
            assertThat(r.stderr())
                    .contains("WARNING: possible recursive locking detected")
                    .contains("both io.jlockdep.scenarios.Scenarios$Account, without a nest context")
                    .contains("both ReentrantLock at io.jlockdep.scenarios.Scenarios.newLock(");
            assertThat(ForkedJvm.run(dir, "same-class=order", "same-class-ordered")
                            .rules())
                    .as("order, the default, stays silent")
                    .isEmpty();
        }

        @Test
        void sameClassInstancesTakenInBothOrdersAreReported() throws Exception {
            assertThat(warn("same-class-inverted").rules()).containsExactly("lockdep/circular-dependency");
        }

        @Test
        void conditionAwaitAndObjectWaitGiveTheLockUpAndTakeItBack() throws Exception {
            AgentJvm.Result r = warn("conditions-and-wait");
            assertThat(r.rules())
                    .as("no bad unlock after the wait, no cycle through the waiter")
                    .isEmpty();
        }

        @Test
        void readLocksReenterAndWriteLocksDowngrade() throws Exception {
            assertThat(warn("rwlock-clean").rules()).isEmpty();
        }

        @Test
        void wwTransactionsWithRealContentionAndBackoffReportNothing() throws Exception {
            assertThat(warn("ww-clean").rules()).isEmpty();
        }

        @Test
        void wwLockAfterDone() throws Exception {
            assertThat(warn("ww-lock-after-done").rules()).containsExactly("ww/lock-after-done");
        }

        @Test
        void unlockOfAJdkLockNotHeld() throws Exception {
            assertThat(warn("bad-unlock").rules()).containsExactly("lockdep/bad-unlock-balance");
        }

        @Test
        void threadEndingWithALockHeld() throws Exception {
            AgentJvm.Result r = warn("held-at-exit");
            assertThat(r.rules()).containsExactly("lockdep/held-lock-at-exit");
            assertThat((String) r.violations().get(0).get("thread")).isEqualTo("leaker");
        }

        @Test
        void virtualThreadsShareTheGraph() throws Exception {
            assumeTrue(Runtime.version().feature() >= 21, "virtual threads need Java 21+");
            assertThat(warn("virtual-threads-cycle").rules()).containsExactly("lockdep/circular-dependency");
        }
    }

    @Nested
    class StampedLocksAndSemaphores {

        @Test
        void correctStampedLockUseIncludingConversionsAndViewsIsSilent() throws Exception {
            assertThat(warn("stamped-clean").rules()).isEmpty();
        }

        @Test
        void aStampedLockReadLockIsNotReentrant() throws Exception {
            assertThat(warn("stamped-read-twice").rules()).containsExactly("lockdep/recursive-locking");
        }

        @Test
        void aReadToWriteWaitOnAStampedLockFailsInsteadOfHanging() throws Exception {
            AgentJvm.Result r = ForkedJvm.run(dir, "mode=fail", "stamped-upgrade");
            assertThat(r.exitCode()).isNotZero();
            assertThat(r.stderr()).contains("LockdepViolationError: lockdep/recursive-locking", "read-to-write");
        }

        @Test
        void stampedLocksAndSemaphoresShareTheGraph() throws Exception {
            AgentJvm.Result s = warn("stamped-cycle");
            assertThat(s.rules()).containsExactly("lockdep/circular-dependency");
            assertThat((String) s.violations().get(0).get("text")).contains("StampedLock at io.jlockdep.scenarios");
            AgentJvm.Result m = warn("semaphore-cycle");
            assertThat(m.rules()).containsExactly("lockdep/circular-dependency");
            assertThat((String) m.violations().get(0).get("text"))
                    .contains("Semaphore(1) at io.jlockdep.scenarios")
                    .doesNotContain(
                            "Semaphore(1) at io.jlockdep.scenarios.JdkLockScenarios.semaphoreCycle(JdkLockScenarios.java:"
                                    + "0");
        }

        @Test
        void aBinarySemaphoreReleasedMoreThanAcquiredIsABadUnlockBalance() throws Exception {
            AgentJvm.Result twice = warn("semaphore-double-release");
            assertThat(twice.stdout()).contains("permits 2");
            assertThat(twice.rules()).containsExactly("lockdep/bad-unlock-balance");
            assertThat(twice.stderr())
                    .contains("WARNING: bad unlock balance detected!")
                    .contains("main is trying to release Semaphore(1)@")
                    .contains("but 1 permit is already free: it would have 2 permits, and no longer exclude anyone")
                    .contains("JdkLockScenarios.semaphoreDoubleRelease(JdkLockScenarios.java:");
            AgentJvm.Result both = warn("semaphore-handoff-and-release");
            assertThat(both.stdout()).contains("permits 2");
            assertThat(both.rules()).containsExactly("lockdep/bad-unlock-balance");
        }

        @Test
        void aSemaphoreHandOffIsNotABadUnlockAndSemaphoresCanBeTurnedOff() throws Exception {
            assertThat(warn("semaphore-handoff").rules()).isEmpty();
            AgentJvm.Result off = ForkedJvm.run(dir, "semaphores=off", "semaphore-cycle");
            assertThat(off.exitCode()).isZero();
            assertThat(off.rules()).isEmpty();
        }
    }

    @Nested
    class JdkInternalLocks {

        @Test
        void aComputeIfAbsentBinLockAndAnApplicationLockFormACycleWithReadableNames() throws Exception {
            AgentJvm.Result r = warn("chm-compute-cycle");
            assertThat(r.rules()).containsExactly("lockdep/circular-dependency");
            assertThat((String) r.violations().get(0).get("text"))
                    .contains("ConcurrentHashMap at io.jlockdep.scenarios.JdkLockScenarios.chmComputeCycle");
        }

        @Test
        void computeFamilyCallsWithoutCrossedOrdersAreSilent() throws Exception {
            assertThat(warn("chm-compute-clean").rules()).isEmpty();
        }

        @Test
        void aSynchronizedWrappersInternalMutexIsTheCallersLock() throws Exception {
            AgentJvm.Result r = warn("sync-wrapper-cycle");
            assertThat(r.rules()).containsExactly("lockdep/circular-dependency");
            assertThat((String) r.violations().get(0).get("text")).contains("java.util.Collections$Synchronized");
        }

        @Test
        void theJdksOwnLocksUnderLoadReportNothing() throws Exception {
            AgentJvm.Result r = warn("jdk-busy");
            assertThat(r.rules()).isEmpty();
            assertThat(classNames(r))
                    .anyMatch(n -> n.startsWith("ReentrantLock at java.base/java.util.concurrent.LinkedBlockingQueue"))
                    .noneMatch(n -> n.contains("io.jlockdep.shaded") || n.contains("io.jlockdep.agent."));
        }
    }

    /** Issue 15: the monitors of the JDK classes the application calls into are in the graph. */
    @Nested
    class JdkMonitors {

        @ParameterizedTest(name = "{0}")
        @CsvSource({
            "jdk-hashtable-equals, java.util.Hashtable, java.util.Hashtable.equals(",
            "jdk-vector-equals, java.util.Vector, java.util.Vector.equals(",
            "jdk-stack-contains-all, java.util.Stack, java.util.Vector.containsAll(",
            "jdk-stringbuffer-append, java.lang.StringBuffer, java.lang.StringBuffer.append(",
            "jdk-synchronized-list-add-all, java.util.Collections$SynchronizedRandomAccessList,"
                    + " java.util.Collections$SynchronizedCollection.addAll(",
        })
        void twoJdkObjectsLockedInBothOrdersByTheApplicationArePredicted(String scenario, String cls, String jdkFrame)
                throws Exception {
            assertThat(theOneCycleOf(scenario))
                    .as("the JDK class, the JDK method and the application's frames")
                    .contains("(both " + cls + ")", jdkFrame, "io.jlockdep.scenarios.JdkMonitors.lambda$crossed$");
        }

        @Test
        void aLogHandlersMonitorAndAnApplicationLockTakenInBothOrdersArePredicted() throws Exception {
            assertThat(theOneCycleOf("jdk-logging-handler-cycle"))
                    .contains("java.util.logging.StreamHandler", "io.jlockdep.scenarios.JdkMonitors.REGISTRY")
                    .contains("java.util.logging.StreamHandler.flush(", "java.util.logging.StreamHandler.publish(")
                    .contains("JdkMonitors.lambda$loggingHandlerCycle$");
        }

        @Test
        void twoClassLoadersThatLockThemselvesDelegatingInBothOrdersArePredicted() throws Exception {
            assertThat(theOneCycleOf("jdk-class-loaders-delegating"))
                    .contains("(both io.jlockdep.scenarios.JdkMonitors$Delegating)")
                    .contains("java.lang.ClassLoader.loadClass(", "JdkMonitors$Delegating.findClass(");
        }

        @Test
        void parallelCapableLoadersPerNameLocksAreNotLumpedIntoOneClass() throws Exception {
            AgentJvm.Result r = warn("jdk-class-loading");
            assertThat(r.rules()).as("%s", r).isEmpty();
        }

        @Test
        void theJdkTakingItsOwnMonitorsInItsFixedOrdersIsSilent() throws Exception {
            AgentJvm.Result r = warn("jdk-fixed-orders");
            assertThat(r.rules()).as("%s", r).isEmpty();
            assertThat(classNames(r))
                    .as("the monitors were tracked, not skipped")
                    .contains(
                            "java.io stream",
                            "java.util.Vector",
                            "java.util.Hashtable",
                            "java.lang.StringBuffer",
                            "java.util.logging.StreamHandler",
                            "java.util.TaskQueue");
        }

        @Test
        void theKernelsStrictSameClassVerdictLeavesTheJdksOwnNestingAlone() throws Exception {
            AgentJvm.Result r = ForkedJvm.run(dir, "same-class=report", "jdk-fixed-orders");
            assertThat(r.exitCode()).as("%s", r).isZero();
            assertThat(r.rules())
                    .as("streams over streams are the JDK's nesting by design: %s", r)
                    .isEmpty();
            AgentJvm.Result crossed = ForkedJvm.run(dir, "same-class=report", "jdk-hashtable-equals");
            assertThat(crossed.rules())
                    .as("two tables in both orders are still the application's cycle: %s", crossed)
                    .containsExactly("lockdep/circular-dependency");
        }
    }

    @Nested
    class Watchdog {

        @ParameterizedTest(name = "{0} threads")
        @ValueSource(ints = {2, 3})
        void aRealDeadlockIsReportedOnceNamingEveryThread(int n) throws Exception {
            AgentJvm.Result r = ForkedJvm.run(dir, "watchdog=50", "real-deadlock-" + n);
            assertThat(r.exitCode()).as("%s", r).isZero();
            assertThat(r.stdout()).contains("deadlock reported");
            List<Map<String, Object>> deadlocks = r.violations().stream()
                    .filter(v -> "lockdep/deadlock".equals(v.get("rule")))
                    .toList();
            assertThat(deadlocks).as("%s", r).hasSize(1);
            String message = (String) deadlocks.get(0).get("message");
            assertThat(message).contains(n + " threads wait for each other", "the dependency history");
            for (int i = 0; i < n; i++) {
                assertThat(message).contains("philosopher-" + i + " waits for ReentrantLock@");
            }
            assertThat(message).contains("java.util.concurrent.locks.ReentrantLock.lock");
            // every dependency of the history, the one that closed the cycle (reported a moment
            // before the hang) too, with its first occurrence: the forks are one class's instances
            assertThat(message.split("\\[first taken by philosopher-", -1))
                    .as(message)
                    .hasSize(n + 1);
            assertThat(message).doesNotContain("not recorded");
            assertThat(r.stderr()).as("printed while the JVM hangs").contains("WARNING: deadlock detected");
        }

        /** Runs a scenario that really deadlocks and returns the message of its one {@code lockdep/deadlock}. */
        private String theOneDeadlockOf(String scenario) throws Exception {
            AgentJvm.Result r = ForkedJvm.run(dir, "watchdog=50", scenario);
            assertThat(r.exitCode()).as("%s", r).isZero();
            assertThat(r.stdout()).contains("deadlock reported");
            List<Map<String, Object>> deadlocks = r.violations().stream()
                    .filter(v -> "lockdep/deadlock".equals(v.get("rule")))
                    .toList();
            assertThat(deadlocks).as("once, %s", r).hasSize(1);
            return (String) deadlocks.get(0).get("message");
        }

        @Test
        void aDeadlockThroughMonitorsTheAgentDoesNotTrackIsReportedFromTheJvmsCheck() throws Exception {
            assertThat(theOneDeadlockOf("jdk-untracked-deadlock"))
                    .contains("2 threads wait for each other", "found by the JVM")
                    .contains("put-first waits for Object@", "put-second waits for Object@")
                    .contains("held by put-", "java.util.prefs.AbstractPreferences.get(")
                    .contains("(monitor), taken at: ")
                    .contains("java.util.prefs.AbstractPreferences.put(");
        }

        @Test
        void aDeadlockThroughJdkMonitorsLoadedBeforeTheAgentIsReported() throws Exception {
            // Hashtable was loaded before premain: its synchronized methods are checked just after
            // the JVM took the monitor, so the blocked thread is seen by the JVM's check
            assertThat(theOneDeadlockOf("untracked-deadlock"))
                    .contains("2 threads wait for each other")
                    .contains("compare-first waits for Hashtable@", "compare-second waits for Hashtable@")
                    .contains("java.util.Hashtable.size(", "java.util.Hashtable.equals(Hashtable.java:");
        }

        @Test
        void aThreadWaitingToEnterASynchronizedMethodIsSeenAndTheClosingDependencyRecorded() throws Exception {
            AgentJvm.Result r = ForkedJvm.run(dir, "watchdog=50", "synchronized-methods-deadlock");
            assertThat(r.exitCode()).as("%s", r).isZero();
            assertThat(r.rules())
                    .as("predicted before the second thread blocked, then seen by jlockdep's own watchdog: %s", r)
                    .contains("lockdep/circular-dependency", "lockdep/deadlock");
            String deadlock = (String) r.violations().stream()
                    .filter(v -> "lockdep/deadlock".equals(v.get("rule")))
                    .findFirst()
                    .orElseThrow()
                    .get("message");
            assertThat(deadlock)
                    .contains("peer-a waits for Peer@", "peer-b waits for Peer@", "the dependency history")
                    .doesNotContain("found by the JVM");
        }

        @Test
        void aLongWaitThatIsNotADeadlockIsNotReported() throws Exception {
            AgentJvm.Result r = ForkedJvm.run(dir, "watchdog=50", "long-wait");
            assertThat(r.exitCode()).as("%s", r).isZero();
            assertThat(r.rules()).isEmpty();
        }

        @Test
        void theHeldLocksDumpThroughJmx() throws Exception {
            AgentJvm.Result r = ForkedJvm.run(dir, "jmx=on", "held-locks-jmx");
            assertThat(r.exitCode()).as("%s", r).isZero();
            assertThat(r.stdout())
                    .contains(
                            "MBEAN",
                            "Showing all locks held in the system:",
                            "(ReentrantLock at io.jlockdep.scenarios.JdkLockScenarios.heldLocksJmx",
                            "(reservation_ww_class_mutex) bo-dump")
                    .containsPattern("2 locks held by main/[0-9]+:");
        }

        @Test
        void badWatchdogAndJmxValuesStopTheJvm() throws Exception {
            AgentJvm.Result r = ForkedJvm.exec(
                    dir,
                    List.of(
                            ForkedJvm.javaExecutable(),
                            "-javaagent:" + ForkedJvm.agentJar() + "=watchdog=5",
                            "-cp",
                            ForkedJvm.classPath(),
                            ForkedJvm.mainOf("whole-api"),
                            "whole-api"));
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.stderr()).contains("bad value '5' for option 'watchdog'");
        }
    }

    @Nested
    class FailMode {

        @ParameterizedTest(name = "{0} ends with {1}")
        @CsvSource({
            "resv-self-deadlock, lockdep/recursive-locking",
            "rwlock-upgrade, lockdep/recursive-locking",
            "importer-attaches-locked, dma-buf/importer-unlocked",
            "exporter-locks-in-map, dma-buf/exporter-locked-callback"
        })
        void aSelfDeadlockBecomesAnErrorAtTheCallInsteadOfAHang(String scenario, String rule) throws Exception {
            AgentJvm.Result r = ForkedJvm.run(dir, "mode=fail", scenario);
            assertThat(r.exitCode()).as("%s", r).isNotZero();
            assertThat(r.stdout()).doesNotContain("done " + scenario);
            assertThat(r.stderr()).contains("io.jlockdep.api.LockdepViolationError: " + rule);
            assertThat(r.stderr())
                    .as("the trace starts at the caller, not in the agent")
                    .containsPattern("LockdepViolationError: [^\\n]*\\n\\s+at (?!io\\.jlockdep\\.agent\\.)");
            assertThat(r.rules().get(0)).isEqualTo(rule);
            assertThat(ForkedJvm.asMap(r.report().get("jlockdep")).get("mode")).isEqualTo("fail");
        }
    }

    @Nested
    class Suppressions {

        @Test
        @SuppressWarnings("unchecked")
        void aSuppressionSilencesExactlyItsReportCountsItAndAnUnusedOneIsListed() throws Exception {
            Path supp = dir.resolve("judged.supp");
            Files.writeString(
                    supp,
                    "# the accounts are always taken in id order (judged)\n"
                            + "lockdep/recursive-locking class=*Scenarios$Account\n"
                            + "ww/* frame=com.example.Nowhere.*\n");
            AgentJvm.Result r = ForkedJvm.run(dir, "same-class=report,suppress=" + supp, "same-class-ordered");
            assertThat(r.exitCode()).as("%s", r).isZero();
            assertThat(r.rules()).as("the ReentrantLocks' verdict stays").containsExactly("lockdep/recursive-locking");
            assertThat((String) r.violations().get(0).get("message")).contains("ReentrantLock at");
            assertThat(r.stderr()).doesNotContain("Scenarios$Account, without a nest context");
            List<Map<String, Object>> suppressed =
                    (List<Map<String, Object>>) r.report().get("suppressed");
            assertThat(suppressed).hasSize(2);
            assertThat(suppressed.get(0))
                    .containsEntry("entry", supp + ":2")
                    .containsEntry("text", "lockdep/recursive-locking class=*Scenarios$Account")
                    .containsEntry("count", 1.0)
                    .containsEntry("unused", false);
            assertThat(suppressed.get(1))
                    .containsEntry("entry", supp + ":3")
                    .containsEntry("count", 0.0)
                    .containsEntry("unused", true);
        }
    }

    @Nested
    class NamedLockClasses {

        @Test
        void setClassSplitsALockFromTheClassOfItsAllocationSite() throws Exception {
            assertThat(warn("sessions-one-class").rules())
                    .as("every session's lock is one class: the H2 false positive")
                    .containsExactly("lockdep/circular-dependency");
            AgentJvm.Result named = warn("sessions-set-class");
            assertThat(named.rules()).as("%s", named).isEmpty();
            assertThat(named.report().toString()).contains("system session");
        }

        /** Issue 28: the same field of owners made at two sites is two roles, two classes. */
        @Test
        void locksOfOwnersMadeAtTwoSitesAreTwoClassesUntilTheirRolesCross() throws Exception {
            AgentJvm.Result split = warn("sessions-two-sites");
            assertThat(split.rules()).as("%s", split).isEmpty();
            String session = "ReentrantLock at io.jlockdep.scenarios.NamedClasses$Session.<init>(NamedClasses.java:";
            assertThat(classNames(split))
                    .filteredOn(n -> n.startsWith(session))
                    .as("the system session's and the user's: where each session was made")
                    .hasSize(2)
                    .anyMatch(n -> n.contains("for the io.jlockdep.scenarios.NamedClasses$Session made at"
                            + " io.jlockdep.scenarios.NamedClasses$Database.<init>("))
                    .as("the user's, made by an ordinary method, keeps the plain key")
                    .anyMatch(n -> !n.contains(", for the "));
            assertThat(warn("sessions-two-sites-crossing").rules())
                    .as("one session's lock on both sides of the monitor: a real cycle, still reported")
                    .containsExactly("lockdep/circular-dependency");
        }

        @Test
        void aSpecsClassStatementsNameLocksByAllocatingMethodAndMonitorsByField() throws Exception {
            Path spec = dir.resolve("classes.lockspec");
            Files.writeString(
                    spec,
                    "spec classes\n"
                            + "class \"factory lock\" allocated-in io.jlockdep.scenarios.NamedClasses.newLock\n"
                            + "class \"component lock\" field io.jlockdep.scenarios.ObjectLocks$Cache.lock\n"
                            + "class \"component lock\" field io.jlockdep.scenarios.ObjectLocks$Index.lock\n");
            AgentJvm.Result r = ForkedJvm.run(dir, "spec=" + spec, "factory-locks");
            assertThat(r.exitCode()).as("%s", r).isZero();
            assertThat(r.report().toString()).contains("factory lock").doesNotContain("NamedClasses.newLock(");
            AgentJvm.Result inversion = ForkedJvm.run(dir, "spec=" + spec, "object-lock-inversion");
            assertThat(inversion.rules())
                    .as("the two fields are one class now: two instances of it in both orders")
                    .containsExactly("lockdep/circular-dependency");
            assertThat((String) inversion.violations().get(0).get("message")).contains("component lock");
        }
    }

    @Nested
    class UserSpecs {

        @Test
        void aUsersSpecChecksTheirOwnApiWithTheirRuleIds() throws Exception {
            Path spec = Path.of("src/test/resources/specs/ledger.lockspec").toAbsolutePath();
            AgentJvm.Result r = ForkedJvm.run(dir, "spec=" + spec, "user-spec");
            assertThat(r.exitCode()).as("%s", r).isZero();
            assertThat(r.rules()).as("%s", r).containsExactly("ledger/post-locked", "ledger/lookup-unlocked");
            assertThat((String) r.violations().get(0).get("citation")).contains("Ledger design notes, rule 1");
        }

        @Test
        void withoutTheSpecTheSameProgramIsSilent() throws Exception {
            assertThat(warn("user-spec").rules()).isEmpty();
        }
    }

    @Nested
    class BadStart {

        private AgentJvm.Result start(String options) throws Exception {
            return ForkedJvm.exec(
                    dir,
                    List.of(
                            ForkedJvm.javaExecutable(),
                            "-javaagent:" + ForkedJvm.agentJar() + "=" + options,
                            "-cp",
                            ForkedJvm.classPath(),
                            ForkedJvm.mainOf("whole-api"),
                            "whole-api"));
        }

        @ParameterizedTest(name = "{0}")
        @ValueSource(
                strings = {
                    "mode=loud|bad value 'loud' for option 'mode'",
                    "colour=red|unknown option 'colour'",
                    "mode|option 'mode' is not key=value",
                    "mode=warn,mode=fail|option 'mode' given twice",
                    "log=syslog|bad value 'syslog' for option 'log'",
                    "guards=maybe|bad value 'maybe' for option 'guards' (expected on, off, all, or package names",
                    "report=|option 'report' has no value",
                    "spec=/nonexistent/x.lockspec|no such file",
                    "suppress=/nonexistent/x.supp|option 'suppress': no such file"
                })
        void badOptionsStopTheJvmNamingThem(String caseText) throws Exception {
            String[] parts = caseText.split("\\|");
            AgentJvm.Result r = start(parts[0]);
            assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
            assertThat(r.stderr()).contains("jlockdep: ").contains(parts[1]);
            assertThat(r.stdout()).doesNotContain("done");
        }

        @Test
        void aMalformedSpecStopsTheJvmWithFileLineAndColumn() throws Exception {
            Path spec = dir.resolve("broken.lockspec");
            Files.writeString(spec, "spec broken\n\nrule post-locked must-hodl\n  text \"x\"\nend\n");
            AgentJvm.Result r = start("spec=" + spec);
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.stderr()).contains("broken.lockspec:3:18: unknown rule kind 'must-hodl'");
        }

        @Test
        void aMalformedSuppressionStopsTheJvmWithFileLineAndColumn() throws Exception {
            Path supp = dir.resolve("judged.supp");
            Files.writeString(supp, "# judged\nlockdep/circular-dependency klass=Foo\n");
            AgentJvm.Result r = start("suppress=" + supp);
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.stderr())
                    .contains("malformed suppression file " + supp + ":2:29: unknown selector 'klass'"
                            + " (expected class=GLOB or frame=GLOB)");
        }

        @Test
        void aSpecNameClashWithTheBuiltInOneIsRefused() throws Exception {
            Path spec = dir.resolve("clash.lockspec");
            Files.writeString(
                    spec,
                    "spec dma-buf\nrule r must-hold\n text \"t\"\n cite \"c\"\n"
                            + " method a.B#m lock this named \"l\" as m\nend\n");
            AgentJvm.Result r = start("spec=" + spec);
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.stderr()).contains("spec name 'dma-buf' is already used");
        }

        @Test
        void aReportDirectoryGetsOneFilePerProcess() throws Exception {
            Path reports = dir.resolve("reports");
            Files.createDirectories(reports);
            AgentJvm.Result r = ForkedJvm.exec(
                    dir,
                    List.of(
                            ForkedJvm.javaExecutable(),
                            "-javaagent:" + ForkedJvm.agentJar() + "=report=" + reports,
                            "-cp",
                            ForkedJvm.classPath(),
                            ForkedJvm.mainOf("importer-maps-unlocked"),
                            "importer-maps-unlocked"));
            assertThat(r.exitCode()).isZero();
            try (var files = Files.list(reports)) {
                List<Path> all = files.toList();
                assertThat(all).hasSize(1);
                assertThat(all.get(0).getFileName().toString()).matches("jlockdep-\\d+\\.json");
                assertThat(Files.readString(all.get(0))).contains("\"rule\"", "dma-buf/importer-locked");
            }
        }

        @Test
        void theAgentJarRunAsAProgramExplainsHowToAttachIt() throws Exception {
            AgentJvm.Result r = ForkedJvm.exec(
                    dir,
                    List.of(
                            ForkedJvm.javaExecutable(),
                            "-jar",
                            ForkedJvm.agentJar().toString()));
            assertThat(r.exitCode()).isZero();
            assertThat(r.stdout()).contains("-javaagent:jlockdep-agent.jar", "mode=warn|fail");
        }
    }
}
