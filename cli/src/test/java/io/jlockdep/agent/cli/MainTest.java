package io.jlockdep.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** The command-line tools on hostile input and hostile output paths (issue 12, items 6 and 19). */
class MainTest {

    @TempDir
    Path dir;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    private int run(String... args) {
        return Main.run(
                args,
                new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    private String err() {
        return err.toString(StandardCharsets.UTF_8);
    }

    private static final String GOOD = "{\"jlockdep\":{\"pid\":7},\"violations\":[],\"graph\":{\"classes\":[],"
            + "\"edges\":[{\"from\":\"A\",\"to\":\"B\",\"thread\":\"main\",\"stack\":[\"x.Y.z(Y.java:1)\"]}]}}";

    private Path file(String name, String text) throws Exception {
        return Files.writeString(dir.resolve(name), text);
    }

    @ParameterizedTest(name = "[{index}] {0}")
    @ValueSource(
            strings = {
                "EMPTY",
                "[]",
                "{\"graph\":1}",
                "{\"jlockdep\":{\"pid\":\"seven\"},\"violations\":[],\"graph\":{\"edges\":[]}}",
                "{\"jlockdep\":{\"pid\":7},\"violations\":\"none\",\"graph\":{\"edges\":[]}}",
                "{\"jlockdep\":{\"pid\":7},\"violations\":[1],\"graph\":{\"edges\":[]}}",
                "{\"jlockdep\":{\"pid\":7},\"violations\":[{\"chain\":[{\"from\":1}]}],\"graph\":{\"edges\":[]}}",
                "{\"jlockdep\":{\"pid\":7},\"violations\":[],\"graph\":{\"edges\":[{\"from\":\"A\"}]}}",
                "{\"jlockdep\":{\"pid\":7},\"violations\":[],\"graph\":{\"edges\":[{\"from\":\"A\",\"to\":\"B\",\"stack\":[1]}]}}",
                "{\"jlockdep\":{\"pid\":7},\"violations\":[],\"graph\":{\"classes\":[{}],\"edges\":[]}}",
                "{\"jlockdep\":{\"pid\":1-2}}",
                "{\"jlockdep\":{\"pid\":7,\"x\":\"\\u12\"}}",
                "{\"a\":\"\\q\"}",
                "DEEP"
            })
    void anUnusableReportIsOneLineAndStatusTwoForBothTools(String text) throws Exception {
        String content =
                text.equals("DEEP") ? "[".repeat(20_000) + "]".repeat(20_000) : text.equals("EMPTY") ? "" : text;
        Path bad = file("bad.json", content);
        assertThat(run("render", bad.toString(), "--html", dir.resolve("o.html").toString()))
                .as(err())
                .isEqualTo(2);
        assertThat(err().lines().count()).as(err()).isEqualTo(1);
        assertThat(err()).contains("bad.json' is not a usable jlockdep report");
        err.reset();
        assertThat(run("merge", bad.toString())).as(err()).isEqualTo(2);
        assertThat(err().lines().count()).as(err()).isEqualTo(1);
        assertThat(Files.exists(dir.resolve("o.html"))).isFalse();
    }

    @Test
    void aGoodReportRendersAndMergesWithStatusZero() throws Exception {
        Path good = file("r.json", GOOD);
        assertThat(run(
                        "render",
                        good.toString(),
                        "--html",
                        dir.resolve("o.html").toString(),
                        "--dot",
                        dir.resolve("o.dot").toString()))
                .as(err())
                .isZero();
        assertThat(Files.readString(dir.resolve("o.html"))).contains("<html");
        assertThat(run("merge", good.toString(), "--json", dir.resolve("m.json").toString()))
                .as(err())
                .isZero();
    }

    /** Issue 27 item 16: {@code classes} is optional in a report; render used to throw a NullPointerException. */
    @Test
    void aReportWithoutClassesRenders() throws Exception {
        Path noClasses = file("r.json", "{\"jlockdep\":{\"pid\":7},\"violations\":[],\"graph\":{\"edges\":[]}}");
        assertThat(run(
                        "render",
                        noClasses.toString(),
                        "--html",
                        dir.resolve("o.html").toString()))
                .as(err())
                .isZero();
        assertThat(Files.readString(dir.resolve("o.html"))).contains("0 lock classes");
    }

    /**
     * Issue 27 item 16: a thread named with a lone surrogate is kept in the agent's report as a
     * JSON escape; render and a merged report's render used to fail with
     * UnmappableCharacterException, naming no file.
     */
    @Test
    void aLoneSurrogateInAReportRendersAsItsEscape() throws Exception {
        String cycle = "{\"jlockdep\":{\"pid\":7},\"violations\":[{\"rule\":\"lockdep/circular-dependency\","
                + "\"thread\":\"worker-\\ud83d\",\"text\":\"worker-\\ud83d holds A\",\"chain\":["
                + "{\"from\":\"A\",\"to\":\"B\",\"thread\":\"worker-\\ud83d\",\"stack\":[]},"
                + "{\"from\":\"B\",\"to\":\"A\",\"thread\":\"main\",\"stack\":[]}]}],"
                + "\"graph\":{\"classes\":[{\"name\":\"A\"},{\"name\":\"B\"}],\"edges\":["
                + "{\"from\":\"A\",\"to\":\"B\",\"thread\":\"worker-\\ud83d\",\"stack\":[]}]}}";
        Path report = file("r.json", cycle);
        assertThat(run(
                        "render",
                        report.toString(),
                        "--html",
                        dir.resolve("o.html").toString(),
                        "--dot",
                        dir.resolve("o.dot").toString()))
                .as(err())
                .isZero();
        assertThat(Files.readString(dir.resolve("o.html"))).contains("worker-\\ud83d");
        assertThat(Files.readString(dir.resolve("o.dot"))).contains("worker-\\ud83d");
        Path merged = dir.resolve("m.json");
        run("merge", report.toString(), "--json", merged.toString());
        assertThat(run(
                        "render",
                        merged.toString(),
                        "--html",
                        dir.resolve("m.html").toString()))
                .as(err())
                .isZero();
        assertThat(Files.readString(dir.resolve("m.html"))).contains("worker-\\ud83d");
    }

    /** Issue 27 item 19: dump of no process, of pid 0, and a failure's message, each one line naming the pid. */
    @Test
    void dumpOfAProcessThatIsNotThereIsOneLineNamingIt() {
        assertThat(run("dump", "0")).isEqualTo(2);
        assertThat(err()).startsWith("jlockdep: dump takes a process id, a positive number, not 0");
        err.reset();
        long gone = ProcessHandle.current().pid() + 4_000_000L; // above Linux's pid_max
        assertThat(run("dump", Long.toString(gone))).isEqualTo(2);
        assertThat(err()).startsWith("jlockdep: no process " + gone + " is running");
        java.io.IOException nested = new java.net.ConnectException(
                "Connection refused to host: 127.0.0.1; nested exception is: \n\tjava.net.ConnectException: refused");
        Dump.Failure f = Dump.failure(gone, "dump", nested);
        assertThat(f.getMessage())
                .isEqualTo("cannot dump process " + gone + " (it has ended): Connection refused to host: 127.0.0.1;"
                        + " nested exception is:")
                .doesNotContain("\n");
    }

    @Test
    void renderRefusesToOverwriteItsInput() throws Exception {
        Path good = file("r.json", GOOD);
        assertThat(run("render", good.toString(), "--html", good.toString())).isEqualTo(2);
        assertThat(err()).contains("is an input of this command");
        assertThat(Files.readString(good)).isEqualTo(GOOD);
    }

    @Test
    void renderRefusesOnePathForTwoOutputs() throws Exception {
        Path good = file("r.json", GOOD);
        Path x = dir.resolve("x");
        assertThat(run("render", good.toString(), "--html", x.toString(), "--dot", x.toString()))
                .isEqualTo(2);
        assertThat(err()).contains("is already another output");
        assertThat(Files.exists(x)).isFalse();
    }

    @Test
    void renderDoesNotWriteThroughASymlink() throws Exception {
        Path good = file("r.json", GOOD);
        Path target = file("precious.txt", "keep me");
        Path link = Files.createSymbolicLink(dir.resolve("link.html"), target);
        assertThat(run("render", good.toString(), "--html", link.toString())).isEqualTo(2);
        assertThat(err()).contains("is a symbolic link");
        assertThat(Files.readString(target)).isEqualTo("keep me");
    }

    @Test
    void mergeRefusesToReplaceItsInput() throws Exception {
        Path good = file("m.json", GOOD);
        assertThat(run("merge", good.toString(), "--json", good.toString())).isEqualTo(2);
        assertThat(Files.readString(good)).isEqualTo(GOOD);
    }

    @Test
    void aCrossJvmCycleIsStatusOneNotTwo() throws Exception {
        Path one = file("a.json", GOOD);
        Path two = file(
                "b.json",
                GOOD.replace("\"pid\":7", "\"pid\":8")
                        .replace("\"from\":\"A\",\"to\":\"B\"", "\"from\":\"B\",\"to\":\"A\""));
        assertThat(run("merge", one.toString(), two.toString())).as(err()).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("possible circular locking dependency across JVMs");
    }
}
