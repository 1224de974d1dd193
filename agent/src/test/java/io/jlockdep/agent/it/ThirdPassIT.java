package io.jlockdep.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jlockdep.testkit.AgentJvm;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The findings of the third adversarial round (issue 27), each a JVM under the agent running a
 * program of {@code io.jlockdep.scenarios.ThirdPass}; every test failed on the agent before its fix.
 */
class ThirdPassIT {

    @TempDir
    Path dir;

    /** The scenarios' class path, with Mockito and its Byte Buddy (unrelocated: the application's own). */
    private static String classPathWithMockito() {
        List<String> keep = new ArrayList<>(List.of(ForkedJvm.classPath()));
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator, -1)) {
            String e = entry.replace('\\', '/');
            if (e.contains("/mockito-core-") || e.contains("/byte-buddy-") || e.contains("/objenesis-")) {
                keep.add(entry);
            }
        }
        return String.join(File.pathSeparator, keep);
    }

    private static String jar(String fragment) {
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator, -1)) {
            if (entry.replace('\\', '/').contains(fragment)) {
                return entry;
            }
        }
        throw new IllegalStateException("no " + fragment + " on the test class path");
    }

    private AgentJvm.Result run(List<String> jvmArgs, String options, String scenario, String... args)
            throws Exception {
        AgentJvm jvm = AgentJvm.under(ForkedJvm.agentJar())
                .options(options)
                .classPath(classPathWithMockito())
                .jvmArgs(jvmArgs)
                .report(dir.resolve("report.json"))
                .in(dir);
        List<String> all = new ArrayList<>(List.of(scenario));
        all.addAll(List.of(args));
        AgentJvm.Result r = jvm.run("io.jlockdep.scenarios.ThirdPass", all.toArray(new String[0]));
        assertThat(r.timedOut()).as("%s", r).isFalse();
        return r;
    }

    /** The report's {@code notices[]}. */
    @SuppressWarnings("unchecked")
    private static List<String> notices(AgentJvm.Result r) {
        return (List<String>) r.report().get("notices");
    }

    private static void finished(AgentJvm.Result r, String scenario) {
        assertThat(r.stdout()).as("%s", r).doesNotContain("HUNG").contains("done " + scenario);
        assertThat(r.exitCode()).as("%s", r).isZero();
    }

    private static void mocked(AgentJvm.Result r) {
        finished(r, "mockito");
        assertThat(r.stdout())
                .as("%s", r)
                .contains(
                        "real deposit 5",
                        "mock deposit 42",
                        "spy deposit 7",
                        "final class mocked entry",
                        "static mocked bank",
                        "static after real bank");
        assertThat(r.rules())
                .as("the spied class's own two orders: still checked")
                .containsExactly("lockdep/circular-dependency");
    }

    // item 0
    @Test
    void mockitoMocksAndSpiesClassesWithSynchronizedMethods() throws Exception {
        mocked(run(List.of(), "", "mockito"));
    }

    // item 0
    @Test
    void mockitoMocksAndSpiesUnderJacocosAgentToo() throws Exception {
        String jacoco = "-javaagent:" + jar("org.jacoco.agent-") + "=destfile=" + dir.resolve("jacoco.exec");
        mocked(run(List.of(jacoco), "", "mockito"));
        assertThat(dir.resolve("jacoco.exec")).exists();
    }

    // item 23
    @Test
    void framesOfRewrittenSynchronizedMethodsKeepTheirLineNumbers() throws Exception {
        AgentJvm.Result r = run(List.of(), "", "blocked-line");
        finished(r, "blocked-line");
        assertThat(r.stdout())
                .as("%s", r)
                .containsPattern("blocked at .*ThirdPass\\$Blocked\\.enter\\(ThirdPass\\.java:\\d+\\)")
                .containsPattern("thrown at .*ThirdPass\\$Blocked\\.fail\\(ThirdPass\\.java:\\d+\\)");
    }

    // item 1
    @Test
    void guardsNeverCallTheApplicationsGetters() throws Exception {
        AgentJvm.Result r = run(List.of(), "", "guard-getters");
        finished(r, "guard-getters");
        assertThat(r.stdout()).as("%s", r).contains("getter calls: sync 0, counting 0, throwing 0");
        assertThat(r.rules())
                .as("the plain getter's field is checked (a++ reads and writes); no false cycle through the"
                        + " agent's own call")
                .containsExactlyInAnyOrder("guard/unguarded-read", "guard/unguarded-write");
        assertThat((String) r.violations().get(0).get("message"))
                .contains("'plainLock()' (io.jlockdep.scenarios.ThirdPass$GetterGuarded.plain,");
        List<String> notices = notices(r);
        assertThat(notices)
                .as("%s", r)
                .anyMatch(n -> n.contains("cannot resolve 'syncLock()'") && n.contains("it is synchronized"))
                .anyMatch(n -> n.contains("cannot resolve 'countingLock()'"))
                .anyMatch(n -> n.contains("cannot resolve 'throwingLock()'"));
    }

    // item 18
    @Test
    void namesAndExpressionsAreEscapedEverywhereTheyAreEchoed() throws Exception {
        AgentJvm.Result r = run(List.of(), "", "forged-names");
        finished(r, "forged-names");
        assertThat(r.rules()).contains("lockdep/circular-dependency");
        assertThat(r.stderr())
                .as("%s", r)
                .contains("evil\\u000a[main] INFO forged\\u000d\\u0000\\u2028end")
                .contains("cannot resolve 'bad\\u0000\\u000a[main] INFO forged\\u001b[31m'")
                .doesNotContain("\n[main] INFO forged")
                .doesNotContain("\u0000")
                .doesNotContain("\u001b")
                .doesNotContain("\u2028")
                .doesNotContain("jlockdep: jlockdep:");
    }

    // item 20
    @Test
    void anUnnamedVirtualThreadIsNamedAsTheJdkNamesIt() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(Runtime.version().feature() >= 21, "virtual threads");
        AgentJvm.Result r = run(List.of(), "", "unnamed-virtual");
        finished(r, "unnamed-virtual");
        assertThat(r.rules()).containsExactly("lockdep/held-lock-at-exit");
        assertThat((String) r.violations().get(0).get("message"))
                .as("%s", r)
                .matches("(?s)VirtualThread\\[#\\d+\\] exits with 1 lock.*");
        assertThat(r.stderr()).doesNotContain("\" exits with");
    }

    // item 10
    @Test
    void specRuleViolationsAreOnePerCallSite() throws Exception {
        String spec = Path.of("src/test/resources/specs/jdk.lockspec")
                .toAbsolutePath()
                .toString();
        AgentJvm.Result r = run(List.of(), "spec=" + spec, "spec-sites");
        finished(r, "spec-sites");
        List<String> sites = r.violations().stream()
                .filter(v -> "jdk/add-locked".equals(v.get("rule")))
                .map(v -> (String) v.get("text"))
                .map(t -> t.replaceAll(
                        "(?s).*?(io\\.jlockdep\\.scenarios\\.ThirdPass\\.\\w+\\(ThirdPass\\.java:\\d+\\)).*", "$1"))
                .filter(t -> t.startsWith("io.jlockdep.scenarios.ThirdPass."))
                .toList();
        assertThat(sites)
                .as("%s", r)
                .hasSize(3)
                .doesNotHaveDuplicates()
                .anyMatch(s -> s.startsWith("io.jlockdep.scenarios.ThirdPass.specSites("))
                .anyMatch(s -> s.startsWith("io.jlockdep.scenarios.ThirdPass.addThird("));
    }

    // item 7
    @Test
    void aStampedReadStampReleasedByAnotherThreadIsNoViolation() throws Exception {
        AgentJvm.Result r = run(List.of(), "", "stamped-handoff");
        finished(r, "stamped-handoff");
        assertThat(r.stdout()).contains("refused IllegalMonitorStateException");
        assertThat(r.rules())
                .as("only the stamp the lock refused: %s", r)
                .containsExactly("lockdep/bad-unlock-balance");
        AgentJvm.Result fail = run(List.of(), "mode=fail", "stamped-handoff");
        assertThat(fail.stdout()).as("%s", fail).contains("write after hand-off");
    }

    // item 6
    @Test
    void aWaitCycleThatATimedTryLockEndsIsNoDeadlock() throws Exception {
        AgentJvm.Result r = run(List.of(), "watchdog=50", "timed-trylock-cycle");
        finished(r, "timed-trylock-cycle");
        assertThat(r.stdout()).contains("timed tryLock gave up");
        assertThat(r.rules()).as("%s", r).doesNotContain("lockdep/deadlock");
    }

    // item 13
    @Test
    void classStatementsAndWrappersNamingNothingAreNotices() throws Exception {
        String spec = Path.of("src/test/resources/specs/named-targets.lockspec")
                .toAbsolutePath()
                .toString();
        AgentJvm.Result r =
                run(List.of(), "log=off,spec=" + spec + ",wrappers=io.jlockdep.scenarios.NoWrapper", "named-targets");
        finished(r, "named-targets");
        List<String> notices = notices(r);
        String where = "spec " + spec + ":";
        assertThat(notices)
                .as("%s", r)
                .anyMatch(n ->
                        n.startsWith(where) && n.contains("class \"no-field\"") && n.contains("no field 'missing'"))
                .anyMatch(n -> n.contains("class \"primitive\"") && n.contains("'count' is a primitive field"))
                .anyMatch(n -> n.contains("class \"no-method\"") && n.contains("no method 'nowhere'"))
                .anyMatch(n -> n.contains("class \"no-class\"")
                        && n.contains("no class io.jlockdep.scenarios.Nowhere was loaded"))
                .anyMatch(n -> n.startsWith("option wrappers: io.jlockdep.scenarios.NoWrapper"))
                .noneMatch(n -> n.contains("class \"good\""));
        assertThat(r.stderr()).as("log=off: nothing printed").doesNotContain("no field 'missing'");
    }

    // item 13
    @Test
    void aSpecMethodThatDoesNotExistIsANoticeInTheReport() throws Exception {
        String spec = Path.of("src/test/resources/specs/missing-method.lockspec")
                .toAbsolutePath()
                .toString();
        AgentJvm.Result r = run(List.of(), "log=off,spec=" + spec, "spec-sites");
        finished(r, "spec-sites");
        List<String> notices = notices(r);
        assertThat(notices)
                .as("%s", r)
                .anyMatch(n -> n.contains("java.util.ArrayList#addTwice") && n.contains("does not exist"));
    }

    // item 3
    @Test
    void theMonitorTableShedsMonitorsAsTheyDie() throws Exception {
        long few = heapAfterGc(1_000);
        long many = heapAfterGc(3_000_000);
        assertThat(many - few)
                .as("heap kept by 3 million dead monitors (32 to 40 MB before the fix), bytes")
                .isLessThan(12L << 20);
    }

    private long heapAfterGc(int monitors) throws Exception {
        AgentJvm.Result r = run(List.of("-Xmx96m"), "log=off", "monitor-churn", Integer.toString(monitors));
        finished(r, "monitor-churn");
        return Long.parseLong(r.stdout().replaceAll("(?s).*heap-after-gc (\\d+).*", "$1"));
    }

    // item 5
    @Test
    void aRuntimeWithoutJfrAndManagementRunsTheAgentAndSaysWhatItLeftOut() throws Exception {
        Path jlink = Path.of(System.getProperty("java.home"), "bin", "jlink");
        org.junit.jupiter.api.Assumptions.assumeTrue(java.nio.file.Files.isExecutable(jlink), "a JDK with jlink");
        Path image = dir.resolve("minimal-runtime");
        AgentJvm.Result linked = ForkedJvm.exec(
                dir,
                List.of(jlink.toString(), "--add-modules", "java.base,java.instrument", "--output", image.toString()));
        assertThat(linked.exitCode()).as("%s", linked).isZero();
        AgentJvm.Result r = AgentJvm.under(ForkedJvm.agentJar())
                .java(image.resolve("bin").resolve("java"))
                .options("jmx=on,watchdog=50")
                .classPath(ForkedJvm.classPath())
                .report(dir.resolve("report.json"))
                .in(dir)
                .run("io.jlockdep.scenarios.ThirdPass", "forged-names");
        finished(r, "forged-names");
        assertThat(r.rules()).as("%s", r).contains("lockdep/circular-dependency");
        List<String> notices = notices(r);
        assertThat(notices)
                .anyMatch(n -> n.startsWith("this runtime has no module jdk.jfr"))
                .anyMatch(n -> n.startsWith("this runtime has no module java.management"));
        assertThat(r.stderr()).as("no stack trace").doesNotContain("\tat ");
    }

    // item 4
    @Test
    void underASecurityManagerTheAgentActsWithItsOwnPermissions() throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(
                Runtime.version().feature() < 24, "a SecurityManager (removed in JDK 24)");
        StringBuilder policy = new StringBuilder();
        policy.append("grant codeBase \"")
                .append(ForkedJvm.agentJar().toAbsolutePath().toUri())
                .append("\" {\n  permission java.security.AllPermission;\n};\n");
        for (String entry : ForkedJvm.classPath().split(File.pathSeparator)) {
            // the application: no FlightRecorderPermission, no permission to write the report
            policy.append("grant codeBase \"")
                    .append(Path.of(entry).toAbsolutePath().toUri())
                    .append("\" {\n  permission java.util.PropertyPermission \"*\", \"read\";\n};\n");
        }
        Path file = java.nio.file.Files.writeString(dir.resolve("app.policy"), policy);
        AgentJvm.Result r = run(List.of("-Djava.security.manager", "-Djava.security.policy==" + file), "", "abba");
        finished(r, "abba");
        assertThat(r.stderr()).as("%s", r).doesNotContain("ExceptionInInitializerError", "AccessControlException");
        assertThat(r.rules()).containsExactly("lockdep/circular-dependency");
    }

    // item 14
    @Test
    void aSemaphoreHandedOffBetweenThreadsIsASignalNotALock() throws Exception {
        AgentJvm.Result r = run(List.of(), "", "semaphore-signal");
        finished(r, "semaphore-signal");
        assertThat(r.rules()).as("%s", r).isEmpty();
        List<String> notices = notices(r);
        assertThat(notices)
                .anyMatch(n -> n.startsWith("Semaphore(1) at io.jlockdep.scenarios.ThirdPass.semaphoreSignal(")
                        && n.contains("a signal, not a lock"));
    }

    // item 11
    @Test
    void lambdasImplementingACallbackAreNamedInANotice() throws Exception {
        String spec = Path.of("src/test/resources/specs/visitor.lockspec")
                .toAbsolutePath()
                .toString();
        AgentJvm.Result r = run(List.of(), "spec=" + spec, "callback-lambdas");
        finished(r, "callback-lambdas");
        assertThat(r.rules()).as("the named implementation is checked: %s", r).containsExactly("visitor/visit-locked");
        List<String> notices = notices(r);
        assertThat(notices.stream()
                        .filter(n -> n.contains("a lambda or method reference implementing"
                                + " io.jlockdep.scenarios.ThirdPass$Visitor in"
                                + " io.jlockdep.scenarios.ThirdPass.callbackLambdas(ThirdPass.java:")))
                .as("%s", notices)
                .hasSize(2);
    }

    // items 12 and 15
    @Test
    void constructorsAndFinalFieldsAreJudgedByTheObjectAndItsType() throws Exception {
        AgentJvm.Result r = run(List.of(), "", "guarded-shapes");
        finished(r, "guarded-shapes");
        List<String> seen = r.violations().stream()
                .map(v -> v.get("rule") + " " + v.get("message"))
                .toList();
        String s = "io.jlockdep.scenarios.ThirdPass$";
        assertThat(seen)
                .as("%s", r)
                .anyMatch(v -> v.startsWith("guard/unguarded-read main reads " + s + "Node.size without holding"))
                .anyMatch(v -> v.startsWith("guard/unguarded-read main reads " + s + "Registry.map without holding"))
                .noneMatch(v -> v.contains(s + "Registry.name") || v.contains(s + "Registry.origin"))
                .noneMatch(v -> v.contains("writes " + s + "Registry.map"));
        assertThat(r.violations().stream()
                        .filter(v -> ((String) v.get("message")).contains("Registry.map"))
                        .count())
                .as("putUnlocked and the lambda that runs later: two sites")
                .isEqualTo(2);
        List<String> nodeSites = r.violations().stream()
                .filter(v -> ((String) v.get("message")).contains("reads " + s + "Node.size"))
                .map(v -> ((String) v.get("text"))
                        .lines()
                        .filter(l -> l.startsWith("  io.jlockdep"))
                        .findFirst()
                        .orElse("")
                        .trim()
                        .replaceAll(":\\d+\\)", ")"))
                .toList();
        assertThat(nodeSites)
                .as("by object, not class: the shared head's reads from a constructor, directly or through"
                        + " grow (grow on the node being built is exempt), and the reads of a node whose"
                        + " constructor threw")
                .containsExactlyInAnyOrder(
                        s + "Node.<init>(ThirdPass.java)",
                        s + "Node.grow(ThirdPass.java)",
                        s + "Node.shrink(ThirdPass.java)");
    }

    // item 21
    @Test
    void heldLocksTakenOnTheFastPathSayWhereTheyWereTaken() throws Exception {
        AgentJvm.Result r = run(List.of(), "", "held-sites");
        finished(r, "held-sites");
        assertThat(r.rules()).containsExactly("lockdep/circular-dependency");
        String text = (String) r.violations().get(0).get("text");
        assertThat(text)
                .as("%s", r)
                .doesNotContain("site not recorded")
                .containsPattern("\\(io\\.jlockdep\\.scenarios\\.ThirdPass\\.FIRST\\) Object@\\w+, at:"
                        + " io\\.jlockdep\\.scenarios\\.ThirdPass\\.heldSites\\(ThirdPass\\.java:\\d+\\)")
                .containsPattern("\\(io\\.jlockdep\\.scenarios\\.ThirdPass\\.SECOND\\) Object@\\w+, at:"
                        + " io\\.jlockdep\\.scenarios\\.ThirdPass\\.heldSites\\(ThirdPass\\.java:\\d+\\)");
    }

    // item 21, the JDK's locks
    @Test
    void jdkLocksTakenOnTheFastPathSayWhereTheyWereTaken() throws Exception {
        AgentJvm.Result r = run(List.of(), "", "held-sites-jdk");
        finished(r, "held-sites-jdk");
        assertThat(r.rules()).as("%s", r).containsExactly("lockdep/circular-dependency");
        String text = (String) r.violations().get(0).get("text");
        String at = ", at: io\\.jlockdep\\.scenarios\\.ThirdPass\\.heldSitesJdk\\(ThirdPass\\.java:\\d+\\)";
        assertThat(text)
                .as("%s", r)
                .doesNotContain("site not recorded")
                .containsPattern("#0: \\(ReentrantLock at [^)]+\\)\\) ReentrantLock@\\w+" + at)
                .containsPattern("#1: \\(StampedLock at [^)]+\\)\\) StampedLock@\\w+" + at)
                .containsPattern(
                        "#2: \\(ReentrantReadWriteLock at [^)]+\\) \\(read\\)\\) ReentrantReadWriteLock@\\w+" + at);
    }

    // item 9
    @Test
    void synchronizedListsAddedIntoEachOtherUnderTheCallersBlocksAreACycle() throws Exception {
        AgentJvm.Result r = run(List.of(), "", "sync-lists-caller-locked");
        finished(r, "sync-lists-caller-locked");
        assertThat(r.stdout()).contains("sizes 3 2");
        assertThat(r.rules()).as("%s", r).containsExactly("lockdep/circular-dependency");
    }
}
