package io.jlockdep.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jlockdep.agent.report.Json;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MergeTest {

    @TempDir
    Path dir;

    private Path report(long pid, String... edges) throws Exception {
        Json j = new Json().beginObject();
        j.name("jlockdep").beginObject().field("version", 1).field("pid", pid).endObject();
        j.name("violations").beginArray().endArray();
        j.name("graph")
                .beginObject()
                .name("classes")
                .beginArray()
                .endArray()
                .name("edges")
                .beginArray();
        for (String e : edges) {
            String[] p = e.split("->");
            j.beginObject()
                    .field("from", p[0])
                    .field("to", p[1])
                    .field("thread", "t" + pid)
                    .field("pid", pid);
            j.name("stack")
                    .beginArray()
                    .value("app.Code.run" + pid + "(Code.java:" + pid + ")")
                    .endArray();
            j.endObject();
        }
        j.endArray().endObject().endObject();
        Path f = dir.resolve("jlockdep-" + pid + ".json");
        Files.writeString(f, j.toString());
        return f;
    }

    @Test
    void aCycleWhoseDependenciesCameFromTwoJvmsIsReportedWithEachProcess() throws Exception {
        Merge m = new Merge();
        m.add(report(101, "A->B"));
        m.add(report(202, "B->C", "C->A"));
        List<Merge.Cycle> cycles = m.cycles(true);
        assertThat(cycles).hasSize(1);
        assertThat(cycles.get(0).dependencies())
                .extracting(d -> d.from() + "->" + d.to())
                .containsExactlyInAnyOrder("A->B", "B->C", "C->A");
        String text = m.render(cycles);
        assertThat(text)
                .contains(
                        "possible circular locking dependency across JVMs",
                        "in process 101",
                        "in process 202",
                        "app.Code.run101(Code.java:101)",
                        "thread t202");
        @SuppressWarnings("unchecked")
        Map<String, Object> json = (Map<String, Object>) JsonReader.parse(m.toJson(cycles));
        assertThat((List<?>) json.get("crossJvmCycles")).hasSize(1);
        assertThat((List<?>) ((Map<String, Object>) json.get("graph")).get("edges"))
                .hasSize(3);
    }

    @Test
    @SuppressWarnings("unchecked")
    void theMergedJsonIsAReportRenderDrawsWithTheCrossJvmCycleAsAViolation() throws Exception {
        Merge m = new Merge();
        m.add(report(101, "A->B"));
        m.add(report(202, "B->A"));
        Path merged = dir.resolve("merged.json");
        Files.writeString(merged, m.toJson(m.cycles(true)));

        Map<String, Object> json = ReportFile.read(merged); // the shape a JVM's report has
        List<Map<String, Object>> violations = (List<Map<String, Object>>) json.get("violations");
        assertThat(violations).hasSize(1);
        assertThat(violations.get(0))
                .containsEntry("rule", "lockdep/circular-dependency")
                .containsEntry("crossJvm", true);
        assertThat((String) violations.get(0).get("text"))
                .contains("app.Code.run202(Code.java:202)")
                .doesNotContain("more frame(s)");
        String html = new Render(json).toHtml();
        assertThat(html)
                .contains("merged from 2 report(s)", "possible circular locking dependency across JVMs", "<svg")
                .doesNotContain("pid null");
        assertThatThrownBy(() -> new Merge().add(merged))
                .isInstanceOf(ReportFile.BadReportException.class)
                .hasMessageContaining("merge the JVMs' own reports");
    }

    @Test
    void theViolationsTheJvmsReportedAreCarriedWithTheProcessTheyCameFrom() throws Exception {
        Path withViolation = report(303, "A->B");
        Files.writeString(
                withViolation,
                Files.readString(withViolation)
                        .replace(
                                "\"violations\":[]",
                                "\"violations\":[{\"rule\":\"lockdep/circular-dependency\",\"thread\":\"main\"}]"));
        Merge m = new Merge();
        m.add(withViolation);
        assertThat(m.violations())
                .singleElement()
                .satisfies(v -> assertThat(v)
                        .containsEntry("rule", "lockdep/circular-dependency")
                        .containsEntry("pid", 303L)
                        .containsEntry("report", withViolation.toString()));
        assertThat(m.render(List.of())).contains("1 violation(s) reported by the JVMs themselves");
    }

    @Test
    void theConsoleTextTrimsTheTestHarnessesFramesAndTheJsonKeepsThem() throws Exception {
        List<String> stack = List.of(
                "app.Locks.ab(Locks.java:10)",
                "app.LocksTest.abba(LocksTest.java:20)",
                "java.base/jdk.internal.reflect.NativeMethodAccessorImpl.invoke0(Native Method)",
                "java.base/java.lang.reflect.Method.invoke(Method.java:569)",
                "org.junit.platform.commons.util.ReflectionUtils.invokeMethod(ReflectionUtils.java:728)",
                "org.apache.maven.surefire.booter.ForkedBooter.main(ForkedBooter.java:495)");
        assertThat(Frames.trim(stack, 12))
                .containsExactly(
                        "app.Locks.ab(Locks.java:10)",
                        "app.LocksTest.abba(LocksTest.java:20)",
                        "... 4 more frame(s) of the test framework, the build tool and reflection"
                                + " (whole stacks in the report files)");
        assertThat(Frames.trim(stack.subList(0, 2), 1))
                .containsExactly(
                        "app.Locks.ab(Locks.java:10)", "... 1 more frame(s) (whole stacks in the report files)");
    }

    @Test
    void aCycleOneJvmSawWholeIsNotReportedAgain() throws Exception {
        Merge m = new Merge();
        m.add(report(101, "A->B", "B->A"));
        m.add(report(202, "C->D"));
        assertThat(m.cycles(true)).isEmpty();
        assertThat(m.cycles(false)).hasSize(1);
        assertThat(m.render(List.of())).contains("no circular dependency that no single JVM saw");
    }

    @Test
    void theSameDependencyFromSeveralJvmsIsOneDependencySeenTwice() throws Exception {
        Merge m = new Merge();
        m.add(report(101, "A->B"));
        m.add(report(202, "A->B"));
        assertThat(m.dependencyCount()).isEqualTo(1);
        assertThat(m.classCount()).isEqualTo(2);
        assertThat(m.cycles(false)).isEmpty();
    }

    @Test
    void aFileThatIsNotAReportIsNamed() throws Exception {
        Path bad = dir.resolve("bad.json");
        Files.writeString(bad, "{\"hello\": 1}");
        assertThatThrownBy(() -> new Merge().add(bad))
                .isInstanceOf(ReportFile.BadReportException.class)
                .hasMessageContaining("bad.json' is not a usable jlockdep report: $.jlockdep should be an object");
        Files.writeString(bad, "{not json");
        assertThatThrownBy(() -> new Merge().add(bad))
                .hasMessageContaining("bad.json' is not a usable jlockdep report: not JSON");
    }

    @Test
    void aChainOfAHundredThousandDependenciesClosedInAnotherJvmIsOneCycle() throws Exception {
        int n = 100_000;
        String[] chain = new String[n];
        for (int i = 0; i < n; i++) {
            chain[i] = "L" + i + "->L" + (i + 1);
        }
        Merge m = new Merge();
        m.add(report(101, chain));
        m.add(report(202, "L" + n + "->L0", "X->Y"));
        List<Merge.Cycle> cycles = m.cycles(true);
        assertThat(cycles).hasSize(1);
        assertThat(cycles.get(0).dependencies()).hasSize(n + 1);
        assertThat(m.dependencyCount()).isEqualTo(n + 2);
    }

    @Test
    void manySmallCyclesAreEachFoundOnce() throws Exception {
        String[] first = new String[1000];
        String[] second = new String[1000];
        for (int i = 0; i < 1000; i++) {
            first[i] = "A" + i + "->B" + i;
            second[i] = "B" + i + "->A" + i;
        }
        Merge m = new Merge();
        m.add(report(101, first));
        m.add(report(202, second));
        assertThat(m.cycles(true)).hasSize(1000);
    }
}
