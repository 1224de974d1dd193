package io.jlockdep.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jlockdep.testkit.AgentJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Lock contracts written in annotations (issue 18), checked in a JVM under the agent: the
 * scenarios of {@code io.jlockdep.scenarios.Guards} use JCIP's, JSR-305's, Error Prone's and the
 * Checker Framework's annotations with every expression form the agent resolves, none of whose
 * jars is on the forked JVM's class path.
 */
class GuardsIT {

    @TempDir
    Path dir;

    private static final String G = "io.jlockdep.scenarios.Guards$";

    @Test
    void contractsKeptAreSilent() throws Exception {
        AgentJvm.Result r = ForkedJvm.run(dir, "", "guards-clean");
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.stdout()).contains("done guards-clean");
        assertThat(r.rules()).as("%s", r).isEmpty();
        assertThat(notices(r)).noneMatch(n -> n.contains("guard"));
    }

    @Test
    void eachBrokenContractIsReportedOnceWhereItBreaks() throws Exception {
        AgentJvm.Result r = ForkedJvm.run(dir, "", "guards-broken");
        assertThat(r.exitCode()).as("%s", r).isZero();
        List<String> seen = r.violations().stream()
                .map(v -> v.get("rule") + " " + v.get("message"))
                .toList();
        assertThat(seen)
                .as("%s", r)
                .satisfiesExactly(
                        v -> assertThat(v)
                                .as("the lock named with where it is declared")
                                .startsWith("guard/unguarded-read main reads " + G + "Jsr305Cache.size"
                                        + " without holding 'lock' (" + G + "Jsr305Cache.lock, Object@"),
                        v -> assertThat(v)
                                .startsWith("guard/unguarded-write main writes " + G + "JcipCounter.count"
                                        + " without holding 'this'"),
                        v -> assertThat(v)
                                .startsWith("guard/unguarded-write main writes " + G + "Table.value holding"
                                        + " 'getLock()' (" + G + "Table.rw, ReentrantReadWriteLock@")
                                .contains("only for reading"),
                        v -> assertThat(v)
                                .as("a subclass writing its parent's field")
                                .startsWith("guard/unguarded-write main writes " + G + "Table.value without holding"),
                        v -> assertThat(v)
                                .as("a lambda reading the field")
                                .startsWith("guard/unguarded-read main reads " + G + "Listeners.count"),
                        v -> assertThat(v)
                                .as("and writing it")
                                .startsWith("guard/unguarded-write main writes " + G + "Listeners.count"),
                        v -> assertThat(v)
                                .as("a nest-mate reading it")
                                .startsWith("guard/unguarded-read main reads " + G + "Listeners.count"),
                        v -> assertThat(v)
                                .startsWith("guard/unguarded-read main reads " + G + "Registry.lookups without"
                                        + " holding 'Registry.class'"),
                        v -> assertThat(v)
                                .startsWith("guard/not-holding main calls " + G + "CheckerPool.evict() without"
                                        + " holding 'lock'")
                                .contains("@org.checkerframework.checker.lock.qual.Holding"),
                        v -> assertThat(v)
                                .as("the Checker Framework's @GuardedBy, a type annotation")
                                .startsWith("guard/unguarded-write main writes " + G + "CheckerPool.slot"),
                        v -> assertThat(v)
                                .startsWith("guard/acquired-lock main acquires ReentrantLock@")
                                .contains("inside " + G + "CheckerPool.sizeLocking(), which"
                                        + " @org.checkerframework.checker.lock.qual.LockingFree"),
                        v -> assertThat(v)
                                .startsWith("guard/released-lock main releases ReentrantLock@")
                                .contains("inside " + G + "CheckerPool.peekReleasing(), which"
                                        + " @org.checkerframework.checker.lock.qual.ReleasesNoLocks"),
                        v -> assertThat(v)
                                .as("Error Prone's @GuardedBy on a method")
                                .startsWith("guard/not-holding main calls " + G + "Journal.flushLocked() without"
                                        + " holding 'mutex'"),
                        v -> assertThat(v)
                                .startsWith("guard/unguarded-read main reads " + G + "Names.names without holding"
                                        + " 'itself' (ArrayList@"));
        String text = (String) r.violations().get(0).get("text");
        assertThat(text)
                .contains("WARNING: lock contract violated: read of a guarded field without its lock")
                .contains(" must hold lock:\n")
                .contains("at: " + G + "Jsr305Cache.sizeUnlocked(Guards.java:")
                .contains("no locks held by main/")
                .contains("fix:   Take 'lock' around the access");
        assertThat(r.stderr()).contains("rule guard/unguarded-read");
    }

    @Test
    void everyExpressionFormResolves() throws Exception {
        AgentJvm.Result r = ForkedJvm.run(dir, "", "guards-forms");
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(notices(r)).as("%s", r).isEmpty();
        assertThat(r.violations().stream().map(v -> v.get("rule") + " " + v.get("message")))
                .as("%s", r)
                .satisfiesExactly(
                        v -> assertThat(v)
                                .as("a subclass defined before its superclass")
                                .startsWith("guard/unguarded-read main reads " + G + "FirstBase.n without holding"
                                        + " 'lock' (" + G + "FirstBase.lock, ReentrantLock@"),
                        v -> assertThat(v).startsWith("guard/unguarded-write main writes " + G + "FirstBase.n"),
                        v -> assertThat(v)
                                .as("a final field holding a mutable list is checked (issue 27 item 15)")
                                .startsWith("guard/unguarded-read main reads " + G + "Inheriting.log without"
                                        + " holding 'lock' (" + G + "Base.lock, Object@"),
                        v -> assertThat(v)
                                .as("this.lock, declared in the superclass")
                                .startsWith("guard/unguarded-read main reads " + G + "Inheriting.hits without"
                                        + " holding 'this.lock' (" + G + "Base.lock, Object@"),
                        v -> assertThat(v)
                                .as("a nested class named from its outer class; the static initialiser is exempt")
                                .startsWith("guard/unguarded-write main writes " + G + "Statics.stamp without"
                                        + " holding 'Guards.Registry.class' (class " + G + "Registry)"),
                        v -> assertThat(v)
                                .as("the Checker Framework's two locks: the one not held")
                                .startsWith("guard/unguarded-write main writes " + G + "TwoLocks.both without"
                                        + " holding 'b' (" + G + "TwoLocks.b, Object@"));
    }

    @Test
    void anExpressionTheAgentCannotResolveIsANoticeAtClassLoad() throws Exception {
        AgentJvm.Result r = ForkedJvm.run(dir, "", "guards-broken");
        assertThat(notices(r))
                .contains(
                        "guard: " + G + "Broken.x: cannot resolve 'lookup(key)': only methods without"
                                + " arguments are supported",
                        "guard: " + G + "Broken.y: cannot resolve 'missing': no field 'missing' in " + G
                                + "Broken or its superclasses");
        assertThat(r.stderr())
                .contains("jlockdep: guard: " + G + "Broken.y: cannot resolve 'missing'")
                .doesNotContain("jlockdep: jlockdep:");
    }

    @Test
    void aFieldWhoseClassLacksItsAccessorIsANoticeNotACrash() throws Exception {
        AgentJvm.Result r = ForkedJvm.run(dir, "", "guards-loader-swap");
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.stdout()).contains("touched 1", "done guards-loader-swap");
        assertThat(r.rules()).as("%s", r).isEmpty();
        assertThat(notices(r))
                .anyMatch(n -> n.startsWith("guard: the accesses from io.jlockdep.scenarios.SwapUser to a guarded"
                                + " field of io.jlockdep.scenarios.SwapReal are not checked:")
                        && n.contains("NoSuchMethodException"));
    }

    @Test
    void guardsOffChecksNoContract() throws Exception {
        AgentJvm.Result r = ForkedJvm.run(dir, "guards=off", "guards-broken");
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.rules()).as("%s", r).isEmpty();
        assertThat(notices(r)).noneMatch(n -> n.contains("guard"));
    }

    @Test
    void failModeThrowsAtTheFirstBrokenContract() throws Exception {
        AgentJvm.Result r = ForkedJvm.run(dir, "mode=fail", "guards-broken");
        assertThat(r.exitCode()).as("%s", r).isNotZero();
        assertThat(r.stdout()).doesNotContain("done guards-broken");
        assertThat(r.stderr())
                .contains("io.jlockdep.api.LockdepViolationError: guard/unguarded-read")
                .as("the trace starts at the access, not in the agent")
                .containsPattern("LockdepViolationError: [^\\n]*\\n\\s+at "
                        + "io\\.jlockdep\\.scenarios\\.Guards\\$Jsr305Cache\\.sizeUnlocked");
        assertThat(r.rules()).containsExactly("guard/unguarded-read");
    }

    @Test
    void aLibrarysOwnContractsAreItsAuthorsUnlessAskedFor() throws Exception {
        // the scenario's classes in a jar, first on the class path: a library, as far as the agent can tell
        Path jar = dir.resolve("guards-library.jar");
        Path classes = java.util.Arrays.stream(ForkedJvm.classPath().split(java.io.File.pathSeparator))
                .filter(e -> e.replace('\\', '/').endsWith("/test-classes"))
                .map(Path::of)
                .findFirst()
                .orElseThrow();
        try (var out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar));
                var files = Files.list(classes.resolve("io/jlockdep/scenarios"))) {
            for (Path f : files.filter(f -> f.getFileName().toString().startsWith("Guards"))
                    .toList()) {
                out.putNextEntry(new java.util.jar.JarEntry("io/jlockdep/scenarios/" + f.getFileName()));
                out.write(Files.readAllBytes(f));
                out.closeEntry();
            }
        }
        assertThat(library(jar, "").rules())
                .as("on: the build's own directories only")
                .isEmpty();
        assertThat(library(jar, "guards=all").rules()).as("all").hasSize(14);
        assertThat(library(jar, "guards=io.jlockdep.scenarios;com.example").rules())
                .as("the packages named")
                .hasSize(14);
    }

    private AgentJvm.Result library(Path jar, String options) throws Exception {
        Files.deleteIfExists(dir.resolve("report.json"));
        AgentJvm.Result r = AgentJvm.under(ForkedJvm.agentJar())
                .options(options)
                .classPath(jar + java.io.File.pathSeparator + ForkedJvm.classPath())
                .in(dir)
                .report(dir.resolve("report.json"))
                .run("io.jlockdep.scenarios.Scenarios", "guards-broken");
        assertThat(r.stdout()).as("%s", r).contains("done guards-broken");
        return r;
    }

    @SuppressWarnings("unchecked")
    private static List<String> notices(AgentJvm.Result r) {
        Object n = r.report().get("notices");
        return n == null ? List.of() : (List<String>) n;
    }
}
