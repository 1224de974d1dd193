package io.jlockdep.agent.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.jlockdep.testkit.AgentJvm;
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

    private AgentJvm.Result run(String options, String scenario, String... args) throws Exception {
        return ForkedJvm.adversarial(dir, List.of(), options, scenario, args);
    }

    private static void finished(AgentJvm.Result r, String scenario) {
        assertThat(r.stdout()).as("%s", r).doesNotContain("HUNG").contains("done " + scenario);
        assertThat(r.exitCode()).as("%s", r).isZero();
    }

    @SuppressWarnings("unchecked")
    private static List<String> notices(AgentJvm.Result r) {
        return (List<String>) r.report().get("notices");
    }

    // item 1
    @Test
    void aSynchronizedGetterInALockPathIsNeverCalledSoTheApplicationDoesNotDeadlock() throws Exception {
        AgentJvm.Result r = run("spec=" + spec("guarded.lockspec"), "sync-getter", "20");
        finished(r, "sync-getter");
        assertThat(notices(r))
                .as("%s", r)
                .anyMatch(n -> n.contains("spec rule guarded/call-unlocked")
                        && n.contains("syncLock() it is synchronized")
                        && n.contains("Adversarial$Guarded"));
        assertThat(r.rules())
                .as("the plain getter is read as its field: its rule still works")
                .containsExactly("guarded/plain-locked");
    }

    // item 1
    @Test
    void theAgentsOwnPathEvaluationAddsNoDependency() throws Exception {
        AgentJvm.Result r = run("spec=" + spec("guarded.lockspec"), "sync-getter-single");
        finished(r, "sync-getter-single");
        assertThat(r.rules()).as("%s", r).isEmpty();
        assertThat(r.stdout() + r.stderr()).doesNotContain("PathResolver");
    }

    // item 2
    @Test
    void aThreadNamedWithALoneSurrogateIsWrittenEscaped() throws Exception {
        AgentJvm.Result r = run("", "lone-surrogate");
        finished(r, "lone-surrogate");
        assertThat(r.stderr()).doesNotContain("cannot write the report");
        assertThat(r.rules()).containsExactly("lockdep/circular-dependency");
        assertThat((String) r.violations().get(0).get("thread")).isEqualTo("worker-\uD83D");
        assertThat(Files.readString(dir.resolve("report.json"), StandardCharsets.UTF_8))
                .contains("worker-\\ud83d");
    }

    // item 2
    @Test
    void aReportThatCannotBeWrittenIsLoudAndFailsInFailMode() throws Exception {
        Path reports = Files.createDirectory(dir.resolve("reports"));
        String options = "log=off,report=" + reports.resolve("r.json");
        AgentJvm.Result warn = ForkedJvm.adversarial(dir, List.of(), options, "report-unwritable", reports.toString());
        assertThat(warn.stdout()).contains("done report-unwritable");
        assertThat(warn.stderr()).as("loud even with log=off").contains("jlockdep: cannot write the report");
        assertThat(warn.exitCode()).isZero();

        Path again = Files.createDirectory(dir.resolve("reports2"));
        AgentJvm.Result fail = ForkedJvm.adversarial(
                dir,
                List.of(),
                "log=off,mode=warn,report=" + again.resolve("r.json"),
                "report-unwritable",
                again.toString());
        assertThat(fail.stderr()).contains("cannot write the report");
        Path third = Files.createDirectory(dir.resolve("reports3"));
        AgentJvm.Result failMode = ForkedJvm.adversarial(
                dir,
                List.of(),
                "log=off,mode=fail,report=" + third.resolve("r.json"),
                "report-unwritable",
                third.toString());
        assertThat(failMode.stderr()).contains("cannot write the report");
        assertThat(failMode.exitCode())
                .as("mode=fail: a lost report fails the JVM")
                .isNotZero();
    }

    // item 3
    @Test
    void manyDeepDependenciesStayWithinABoundedHeap() throws Exception {
        AgentJvm.Result r = ForkedJvm.adversarial(
                dir, List.of("-Xmx128m", "-Xss8m"), "log=off,watchdog=off", "deep-dependencies", "20000", "400");
        finished(r, "deep-dependencies");
        assertThat(r.stdout()).contains("dependencies 20000");
        long heap = Long.parseLong(r.stdout().replaceAll("(?s).*heap-after-gc (\\d+).*", "$1"));
        assertThat(heap)
                .as("heap after GC with 20,000 dependencies taken 400 frames deep")
                .isLessThan(64L << 20);
        @SuppressWarnings("unchecked")
        List<Map<String, Object>> edges = (List<Map<String, Object>>)
                ForkedJvm.asMap(r.report().get("graph")).get("edges");
        List<Map<String, Object>> planted = edges.stream()
                .filter(e -> ((String) e.get("from")).contains("LockSites.make"))
                .toList();
        assertThat(planted).hasSize(20000);
        @SuppressWarnings("unchecked")
        List<String> stack = (List<String>) planted.get(0).get("stack");
        assertThat(stack).hasSize(65);
        assertThat(stack.get(64)).contains("stack depth cap 64");
    }

    // item 10
    @Test
    void nestingPastTheDepthCapOnFourThreadsGivesOneNoticeAndNoFalseViolation() throws Exception {
        AgentJvm.Result r = ForkedJvm.adversarial(dir, List.of("-Xss16m"), "", "depth-cap");
        finished(r, "depth-cap");
        assertThat(r.rules()).as("%s", r).isEmpty();
        assertThat(notices(r)).filteredOn(n -> n.startsWith("MAX_LOCK_DEPTH")).hasSize(1);
        assertThat(r.stderr().split("MAX_LOCK_DEPTH", -1)).as("printed once").hasSize(2);
    }

    // item 11
    @Test
    void aStackOverflowInsideSynchronizedMethodsLeavesNoFalseHeldLock() throws Exception {
        AgentJvm.Result r = run("", "stack-overflow", "30");
        finished(r, "stack-overflow");
        assertThat(r.stdout()).contains("overflows 30 holdsLock false false false");
        assertThat(r.rules()).as("%s", r).isEmpty();
    }

    // item 9
    @Test
    void virtualThreadsSleepingInsideAMonitorKeepTheirHeldLocks() throws Exception {
        assumeTrue(Runtime.version().feature() >= 21, "virtual threads");
        AgentJvm.Result r = run("", "virtual-sleep", "10000");
        finished(r, "virtual-sleep");
        assertThat(r.rules()).as("%s", r).isEmpty();
    }

    // item 12
    @Test
    void aRuleOnAJdkClassLoadedBeforeTheAgentIsChecked() throws Exception {
        AgentJvm.Result r = run("spec=" + spec("jdk.lockspec"), "jdk-spec-rule");
        finished(r, "jdk-spec-rule");
        // one report per call site (issue 27 item 10): the JDK's own calls are reported at theirs
        assertThat(r.rules()).as("%s", r).containsOnly("jdk/add-locked");
        assertThat(r.violations())
                .as("%s", r)
                .filteredOn(v -> ((String) v.get("text")).contains("Adversarial.jdkSpecRule(Adversarial.java:"))
                .hasSize(1);
        assertThat(r.stderr()).as("the agent's own calls are never checked").doesNotContain("DependencyGraph");
    }

    // item 13
    @Test
    void twoClassesOfOneNameAreToldApartByTheirLoader() throws Exception {
        AgentJvm.Result r = run("", "two-loaders");
        finished(r, "two-loaders");
        assertThat(r.rules()).as("%s", r).containsExactly("lockdep/circular-dependency");
        String message = (String) r.violations().get(0).get("message");
        assertThat(message)
                .contains("io.jlockdep.scenarios.Shared (loader loader-one")
                .contains("loader-two");
    }

    // item 21
    @Test
    void theAgentLeavesNoSystemPropertyInTheApplication() throws Exception {
        AgentJvm.Result r = run("", "properties");
        finished(r, "properties");
        assertThat(r.stdout()).doesNotContain("property ");
    }

    // ------------------------------------------------------------------ start-up: options and spec files

    private AgentJvm.Result start(List<String> jvmArgs, String options) throws Exception {
        List<String> command = new java.util.ArrayList<>();
        command.add(ForkedJvm.javaExecutable());
        command.addAll(jvmArgs);
        command.addAll(List.of(
                "-javaagent:" + ForkedJvm.agentJar() + "=" + options,
                "-cp",
                ForkedJvm.classPath(),
                "io.jlockdep.scenarios.Adversarial",
                "abba"));
        return ForkedJvm.exec(dir, command);
    }

    private static void stoppedWithOneLine(AgentJvm.Result r, String message) {
        assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
        assertThat(r.stdout()).doesNotContain("done");
        assertThat(r.stderr())
                .as("%s", r)
                .contains("jlockdep: ")
                .contains(message)
                .doesNotContain("\tat ")
                .doesNotContain("FATAL ERROR");
    }

    // item 4
    @Test
    void aSpecThatIsADeviceAFifoOrTooLargeIsRefusedAtStart() throws Exception {
        stoppedWithOneLine(start(List.of(), "spec=/dev/zero"), "option 'spec': '/dev/zero' is not a regular file");
        Path fifo = dir.resolve("spec.fifo");
        Process mk = new ProcessBuilder("mkfifo", fifo.toString()).start();
        assertThat(mk.waitFor()).isZero();
        stoppedWithOneLine(start(List.of(), "spec=" + fifo), "is not a regular file (a device, pipe or socket)");
        Path big = dir.resolve("big.lockspec");
        try (var f = new java.io.RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(45L << 20); // sparse
        }
        stoppedWithOneLine(start(List.of("-Xmx64m"), "spec=" + big), "bytes; a spec file may be at most 1048576 bytes");
    }

    // item 7
    @Test
    void aWatchdogIntervalBeyondAnHourIsRefused() throws Exception {
        stoppedWithOneLine(
                start(List.of(), "watchdog=9223372036855"),
                "bad value '9223372036855' for option 'watchdog' (expected milliseconds from 10 to 3600000");
    }

    // item 15
    @Test
    void anArgumentIndexOutOfRangeIsNamedWithFileLineAndColumn() throws Exception {
        Path spec = dir.resolve("arg.lockspec");
        Files.writeString(
                spec,
                "spec big\nrule r must-hold\n text \"t\"\n cite \"c\"\n"
                        + " method a.B#m lock arg2147483648 named \"l\" as m\nend\n");
        stoppedWithOneLine(
                start(List.of(), "spec=" + spec),
                "arg.lockspec:5:20: a lock path can start at arg0 to arg3, found 'arg2147483648'");
    }

    // item 15
    @Test
    void echoedInputHasItsControlCharactersEscapedAndIsCut() throws Exception {
        Path spec = dir.resolve("ctl.lockspec");
        Files.writeString(
                spec,
                "spec ctl\nrule r must-hold\n text \"t\"\n cite \"c\"\n method a.B#m lock x\u001b[31mred\u2028"
                        + "y".repeat(20_000) + "\nend\n");
        AgentJvm.Result r = start(List.of(), "spec=" + spec);
        stoppedWithOneLine(r, "ctl.lockspec:5:");
        assertThat(r.stderr())
                .contains("x\\u001b[31mred\\u2028yyy")
                .contains("(20010 characters)")
                .doesNotContain("\u001b")
                .doesNotContain("\u2028");
        assertThat(r.stderr().length()).isLessThan(2000);
        AgentJvm.Result option = start(List.of(), "mode=" + "\u2028".repeat(3) + "z".repeat(100_000));
        stoppedWithOneLine(option, "bad value '\\u2028\\u2028\\u2028zzz");
        assertThat(option.stderr().length()).isLessThan(2000);
    }

    // item 15
    @Test
    void aSpecWithAByteOrderMarkIsRead() throws Exception {
        Path spec = dir.resolve("bom.lockspec");
        Files.writeString(
                spec,
                "\uFEFFspec bom\nrule r must-hold\n text \"t\"\n cite \"c\"\n"
                        + " method io.jlockdep.scenarios.Adversarial#main lock arg0 named \"l\" as main\nend\n");
        AgentJvm.Result r = start(List.of(), "spec=" + spec + ",report=" + dir.resolve("r.json"));
        assertThat(r.stderr()).doesNotContain("expected 'spec");
        assertThat(r.stdout()).as("%s", r).contains("done abba");
    }

    // item 16
    @Test
    void aSecondJavaagentSaysOnceItIsIgnoredAndTheApplicationRuns() throws Exception {
        String agent = "-javaagent:" + ForkedJvm.agentJar();
        AgentJvm.Result r = ForkedJvm.exec(
                dir,
                List.of(
                        ForkedJvm.javaExecutable(),
                        agent + "=report=" + dir.resolve("r.json"),
                        agent + "=mode=warn",
                        "-cp",
                        ForkedJvm.classPath(),
                        "io.jlockdep.scenarios.Adversarial",
                        "abba"));
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.stdout()).contains("done abba");
        assertThat(r.stderr())
                .contains("jlockdep: already attached to this JVM; the second agent (options 'mode=warn') is ignored")
                .doesNotContain("\tat ");
        assertThat(r.stderr().split("already attached", -1)).hasSize(2);
        assertThat(r.stderr()).as("the first agent still checks").contains("lockdep/circular-dependency");
    }

    // item 17
    @Test
    void aRuleOnANativeOrAbstractMethodSaysSo() throws Exception {
        Path spec = dir.resolve("native.lockspec");
        Files.writeString(
                spec,
                "spec nat\nrule hash must-hold\n text \"t\"\n cite \"c\"\n"
                        + " method java.lang.Object#hashCode lock this named \"o\" as hashCode\n"
                        + " method java.util.AbstractList#get lock this named \"l\" as get\nend\n");
        AgentJvm.Result r = start(List.of(), "spec=" + spec + ",report=" + dir.resolve("r.json"));
        assertThat(r.stdout()).as("%s", r).contains("done abba");
        assertThat(r.stderr())
                .contains("java.lang.Object#hashCode is native: it has no bytecode to check")
                .contains("java.util.AbstractList#get is abstract: it has no body to check");
    }

    // item 17
    @Test
    void aUsersMustNotHoldRuleSpeaksTheUsersWords() throws Exception {
        AgentJvm.Result r = ForkedJvm.run(dir, "spec=" + spec("ledger.lockspec"), "user-spec");
        String message = r.violations().stream()
                .filter(v -> "ledger/lookup-unlocked".equals(v.get("rule")))
                .map(v -> (String) v.get("message"))
                .findFirst()
                .orElseThrow();
        assertThat(message).contains("which the rule forbids").doesNotContain("exporter");
    }

    // item 18
    @Test
    void aReportPathThatCannotBeWrittenStopsTheJvmEvenWithLogOff() throws Exception {
        Path file = Files.writeString(dir.resolve("plain-file"), "x");
        stoppedWithOneLine(
                start(List.of(), "log=off,report=" + file.resolve("r.json")), "option 'report': cannot write");
    }

    // item 20
    @Test
    void temporariesLeftByADeadProcessAreRemovedAtStart() throws Exception {
        Path reports = Files.createDirectory(dir.resolve("reports"));
        Path stale = Files.writeString(reports.resolve(".r.json.999999999.123.tmp"), "{");
        Path foreign = Files.writeString(reports.resolve(".r.json.notapid.tmp"), "{");
        Path alive = Files.writeString(
                reports.resolve(".r.json." + ProcessHandle.current().pid() + ".5.tmp"), "{");
        AgentJvm.Result r = start(List.of(), "report=" + reports.resolve("r.json"));
        assertThat(r.stdout()).as("%s", r).contains("done abba");
        assertThat(stale).doesNotExist();
        assertThat(foreign).as("not one of ours").exists();
        assertThat(alive).as("its writer is alive").exists();
        try (var files = Files.list(reports)) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .containsExactlyInAnyOrder(
                            "r.json", ".r.json.notapid.tmp", alive.getFileName().toString());
        }
    }

    // item 21
    @Test
    void aClassTheAgentCannotInstrumentIsANoticeAndAGeneratedOneIsQuiet() throws Exception {
        Path classes = Path.of("target/test-classes/io/jlockdep/scenarios");
        Path copy = Files.createDirectories(dir.resolve("orphans/io/jlockdep/scenarios"));
        for (String name : List.of("Orphan.class", "Orphan$$EnhancerByMockito.class")) {
            Files.copy(classes.resolve(name), copy.resolve(name));
        }
        AgentJvm.Result r = run(
                "spec=" + spec("orphans.lockspec"),
                "uninstrumentable",
                dir.resolve("orphans").toString());
        finished(r, "uninstrumentable");
        assertThat(notices(r))
                .as("%s", r)
                .anyMatch(n -> n.startsWith("cannot instrument io.jlockdep.scenarios.Orphan,"))
                .anyMatch(n -> n.startsWith("cannot instrument io.jlockdep.scenarios.Orphan$$EnhancerByMockito,"));
        assertThat(r.stderr().split("cannot instrument io.jlockdep.scenarios.Orphan,", -1))
                .as("printed once")
                .hasSize(2);
        assertThat(r.stderr()).as("a generated class is recorded, not printed").doesNotContain("EnhancerByMockito");
    }

    @Test
    void aChildFirstLoaderWithItsOwnCopyOfTheHooksIsNamedWithTheFix() throws Exception {
        AgentJvm.Result r = run("", "child-first", ForkedJvm.agentJar().toString());
        finished(r, "child-first");
        assertThat(r.stdout())
                .as("the scenario did reach a copy")
                .contains("hooks from io.jlockdep.scenarios.Adversarial$");
        assertThat(r.stderr())
                .as("said at the copy's first use")
                .contains("jlockdep: class loader io.jlockdep.scenarios.Adversarial$")
                .contains("'child-first'")
                .contains("defined its own copy of jlockdep's hooks: locks in the classes it loads are not checked")
                .doesNotContain("jlockdep: the class loader")
                .contains("@PowerMockIgnore(\"io.jlockdep.*\")");
        assertThat(notices(r))
                .as("%s", r)
                .anyMatch(n -> n.contains("'child-first'") && n.contains("defined its own copy of jlockdep's hooks"));
    }

    /**
     * The JDK lock classes the agent patches pass the JVM's verifier (boot classes are not verified
     * unless asked), and every exit of every patched method keeps the bookkeeping balanced.
     */
    @Test
    void everyPatchedJdkLockClassVerifiesAndEveryExitBalances() throws Exception {
        Path log = dir.resolve("verification.log");
        AgentJvm.Result r = ForkedJvm.exec(
                dir,
                List.of(
                        ForkedJvm.javaExecutable(),
                        "-XX:+UnlockDiagnosticVMOptions",
                        "-XX:+BytecodeVerificationLocal",
                        "-Xlog:verification=info:file=" + log,
                        "-javaagent:" + ForkedJvm.agentJar() + "=report=" + dir.resolve("report.json"),
                        "-cp",
                        ForkedJvm.classPath(),
                        "io.jlockdep.scenarios.EveryLockMethod"));
        finished(r, "every-lock-method");
        assertThat(r.stdout())
                .contains("lockInterruptibly interrupted")
                .contains("await interrupted, lock held again: true")
                .contains("compute threw")
                .contains("static synchronized threw")
                .contains("synchronized threw");
        Map<String, Object> report = AgentJvm.readReport(dir.resolve("report.json"));
        assertThat(report.get("violations")).as("%s", r).asList().isEmpty();
        assertThat(report.get("notices")).as("%s", r).asList().isEmpty();
        String verified = Files.readString(log);
        for (String c : List.of(
                "java.util.concurrent.locks.ReentrantLock",
                "java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject",
                "java.util.concurrent.locks.ReentrantReadWriteLock$ReadLock",
                "java.util.concurrent.locks.StampedLock",
                "java.util.concurrent.Semaphore",
                "java.util.concurrent.ConcurrentHashMap")) {
            assertThat(verified).as("the verifier saw the patched %s", c).contains("Verifying class " + c + " ");
        }
        assertThat(verified).doesNotContain("Verification for");
    }
}
