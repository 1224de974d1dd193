package io.jlockdep.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The findings of adversarial testing (issue 12), each a JVM under the agent running a program of
 * {@code io.jlockdep.scenarios.Adversarial}; every test failed on the agent before its fix.
 */
class ReliabilityIT {

    @TempDir
    Path dir;

    private static String spec(String name) {
        return Path.of("src/test/resources/specs/" + name).toAbsolutePath().toString();
    }

    private ForkedJvm.Result run(String options, String scenario, String... args) throws Exception {
        return ForkedJvm.adversarial(dir, List.of(), options, scenario, args);
    }

    private static void finished(ForkedJvm.Result r, String scenario) {
        assertThat(r.stdout()).as("%s", r).doesNotContain("HUNG").contains("done " + scenario);
        assertThat(r.exitCode()).as("%s", r).isZero();
    }

    @SuppressWarnings("unchecked")
    private static List<String> notices(ForkedJvm.Result r) {
        return (List<String>) r.report().get("notices");
    }

    // item 1
    @Test
    void aSynchronizedGetterInALockPathIsNeverCalledSoTheApplicationDoesNotDeadlock() throws Exception {
        ForkedJvm.Result r = run("spec=" + spec("guarded.lockspec"), "sync-getter", "20");
        finished(r, "sync-getter");
        assertThat(notices(r)).as("%s", r).anyMatch(n -> n.contains("spec rule guarded/call-unlocked")
                && n.contains("syncLock() it is synchronized") && n.contains("Adversarial$Guarded"));
        assertThat(r.rules()).as("the plain getter is read as its field: its rule still works")
                .containsExactly("guarded/plain-locked");
    }

    // item 1
    @Test
    void theAgentsOwnPathEvaluationAddsNoDependency() throws Exception {
        ForkedJvm.Result r = run("spec=" + spec("guarded.lockspec"), "sync-getter-single");
        finished(r, "sync-getter-single");
        assertThat(r.rules()).as("%s", r).isEmpty();
        assertThat(r.stdout() + r.stderr()).doesNotContain("PathResolver");
    }

    // item 2
    @Test
    void aThreadNamedWithALoneSurrogateIsWrittenEscaped() throws Exception {
        ForkedJvm.Result r = run("", "lone-surrogate");
        finished(r, "lone-surrogate");
        assertThat(r.stderr()).doesNotContain("cannot write the report");
        assertThat(r.rules()).containsExactly("lockdep/circular-dependency");
        assertThat((String) r.violations().get(0).get("thread")).isEqualTo("worker-\uD83D");
        assertThat(Files.readString(dir.resolve("report.json"), StandardCharsets.UTF_8)).contains("worker-\\ud83d");
    }

    // item 2
    @Test
    void aReportThatCannotBeWrittenIsLoudAndFailsInFailMode() throws Exception {
        Path reports = Files.createDirectory(dir.resolve("reports"));
        String options = "log=off,report=" + reports.resolve("r.json");
        ForkedJvm.Result warn = ForkedJvm.adversarial(dir, List.of(), options, "report-unwritable", reports.toString());
        assertThat(warn.stdout()).contains("done report-unwritable");
        assertThat(warn.stderr()).as("loud even with log=off").contains("jlockdep: cannot write the report");
        assertThat(warn.exitCode()).isZero();

        Path again = Files.createDirectory(dir.resolve("reports2"));
        ForkedJvm.Result fail = ForkedJvm.adversarial(dir, List.of(), "log=off,mode=warn,report=" + again.resolve("r.json"),
                "report-unwritable", again.toString());
        assertThat(fail.stderr()).contains("cannot write the report");
        Path third = Files.createDirectory(dir.resolve("reports3"));
        ForkedJvm.Result failMode = ForkedJvm.adversarial(dir, List.of(), "log=off,mode=fail,report=" + third.resolve("r.json"),
                "report-unwritable", third.toString());
        assertThat(failMode.stderr()).contains("cannot write the report");
        assertThat(failMode.exitCode()).as("mode=fail: a lost report fails the JVM").isNotZero();
    }

    // item 3
    @Test
    void manyDeepDependenciesStayWithinABoundedHeap() throws Exception {
        ForkedJvm.Result r = ForkedJvm.adversarial(dir, List.of("-Xmx128m", "-Xss8m"), "log=off,watchdog=off",
                "deep-dependencies", "20000", "400");
        finished(r, "deep-dependencies");
        assertThat(r.stdout()).contains("dependencies 20000");
        long heap = Long.parseLong(r.stdout().replaceAll("(?s).*heap-after-gc (\\d+).*", "$1"));
        assertThat(heap).as("heap after GC with 20,000 dependencies taken 400 frames deep").isLessThan(64L << 20);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> edges = (List<Map<String, Object>>) ForkedJvm.asMap(r.report().get("graph")).get("edges");
        List<Map<String, Object>> planted = edges.stream()
                .filter(e -> ((String) e.get("from")).contains("LockSites.make")).toList();
        assertThat(planted).hasSize(20000);
        @SuppressWarnings("unchecked")
        List<String> stack = (List<String>) planted.get(0).get("stack");
        assertThat(stack).hasSize(65);
        assertThat(stack.get(64)).contains("stack depth cap 64");
    }

    // item 10
    @Test
    void nestingPastTheDepthCapOnFourThreadsGivesOneNoticeAndNoFalseViolation() throws Exception {
        ForkedJvm.Result r = ForkedJvm.adversarial(dir, List.of("-Xss16m"), "", "depth-cap");
        finished(r, "depth-cap");
        assertThat(r.rules()).as("%s", r).isEmpty();
        assertThat(notices(r)).filteredOn(n -> n.startsWith("MAX_LOCK_DEPTH")).hasSize(1);
        assertThat(r.stderr().split("MAX_LOCK_DEPTH", -1)).as("printed once").hasSize(2);
    }

    // item 11
    @Test
    void aStackOverflowInsideSynchronizedMethodsLeavesNoFalseHeldLock() throws Exception {
        ForkedJvm.Result r = run("", "stack-overflow", "30");
        finished(r, "stack-overflow");
        assertThat(r.stdout()).contains("overflows 30 holdsLock false false false");
        assertThat(r.rules()).as("%s", r).isEmpty();
    }

    // item 9
    @Test
    void virtualThreadsSleepingInsideAMonitorKeepTheirHeldLocks() throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads");
        ForkedJvm.Result r = run("", "virtual-sleep", "3000");
        finished(r, "virtual-sleep");
        assertThat(r.rules()).as("%s", r).isEmpty();
    }

    // item 12
    @Test
    void aRuleOnAJdkClassLoadedBeforeTheAgentIsChecked() throws Exception {
        ForkedJvm.Result r = run("spec=" + spec("jdk.lockspec"), "jdk-spec-rule");
        finished(r, "jdk-spec-rule");
        assertThat(r.rules()).as("%s", r).containsExactly("jdk/add-locked");
    }

    // item 13
    @Test
    void twoClassesOfOneNameAreToldApartByTheirLoader() throws Exception {
        ForkedJvm.Result r = run("", "two-loaders");
        finished(r, "two-loaders");
        assertThat(r.rules()).as("%s", r).containsExactly("lockdep/circular-dependency");
        String message = (String) r.violations().get(0).get("message");
        assertThat(message).contains("io.jlockdep.scenarios.Shared (loader loader-one").contains("loader-two");
    }

    // item 21
    @Test
    void theAgentLeavesNoSystemPropertyInTheApplication() throws Exception {
        ForkedJvm.Result r = run("", "properties");
        finished(r, "properties");
        assertThat(r.stdout()).doesNotContain("property ");
    }
}
