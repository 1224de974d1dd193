package io.jlockdep.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jlockdep.agent.cli.JsonReader;
import io.jlockdep.testkit.AgentJvm;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's surroundings, as users meet them: the jar's commands ({@code merge},
 * {@code render}), Flight Recorder events, logging through SLF4J or stderr, and attaching to a
 * running JVM. Each test starts JVMs under the packaged agent, as {@link AgentIT} does.
 */
class AgentToolsIT {

    @TempDir
    Path dir;

    @Nested
    class Tools {

        private AgentJvm.Result tool(String... args) throws Exception {
            List<String> command = new java.util.ArrayList<>(List.of(
                    ForkedJvm.javaExecutable(), "-jar", ForkedJvm.agentJar().toString()));
            command.addAll(List.of(args));
            return ForkedJvm.exec(dir, command);
        }

        private Path reportOf(String scenario) throws Exception {
            Path sub = Files.createDirectories(dir.resolve(scenario));
            AgentJvm.Result r = ForkedJvm.run(sub, "", scenario);
            assertThat(r.exitCode()).as("%s", r).isZero();
            assertThat(r.rules()).as("one JVM alone sees no cycle").isEmpty();
            return sub.resolve("report.json");
        }

        @Test
        void dumpPrintsTheHeldLocksOfARunningJvmStartedWithoutJmx() throws Exception {
            Process held = new ProcessBuilder(
                            ForkedJvm.javaExecutable(),
                            "-javaagent:" + ForkedJvm.agentJar() + "=log=stderr",
                            "-cp",
                            ForkedJvm.classPath(),
                            "io.jlockdep.scenarios.HoldAndWait")
                    .directory(dir.toFile())
                    .redirectError(dir.resolve("held.err").toFile())
                    .start();
            try {
                java.io.BufferedReader lines = new java.io.BufferedReader(
                        new java.io.InputStreamReader(held.getInputStream(), java.nio.charset.StandardCharsets.UTF_8));
                assertThat(lines.readLine()).as("the lock is held").isEqualTo("holding");
                AgentJvm.Result r = tool("dump", Long.toString(held.pid()));
                assertThat(r.exitCode()).as("%s", r).isZero();
                assertThat(r.stdout())
                        .containsPattern("locks held by holder/[0-9]+:")
                        .contains("ReentrantLock at io.jlockdep.scenarios.HoldAndWait.<clinit>");
                assertThat(Files.readString(dir.resolve("held.err")))
                        .as("the JVM registered its MBean on request and logged the dump too")
                        .contains("registered on request");
            } finally {
                held.getOutputStream().close(); // the holder lets go, the JVM ends
                if (!held.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    held.destroyForcibly();
                }
            }
            assertThat(held.exitValue()).isZero();
        }

        @Test
        void dumpOfAJvmWithoutTheAgentOrOfNoJvmSaysSo() throws Exception {
            Process plain = new ProcessBuilder(
                            ForkedJvm.javaExecutable(),
                            "-cp",
                            ForkedJvm.classPath(),
                            "io.jlockdep.scenarios.HoldAndWait")
                    .directory(dir.toFile())
                    .start();
            try {
                assertThat(new java.io.BufferedReader(new java.io.InputStreamReader(
                                        plain.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))
                                .readLine())
                        .isEqualTo("holding");
                AgentJvm.Result r = tool("dump", Long.toString(plain.pid()));
                assertThat(r.exitCode()).isEqualTo(2);
                assertThat(r.stderr()).contains("does not run the jlockdep agent");
            } finally {
                plain.getOutputStream().close();
                plain.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
            }
            assertThat(tool("dump", "not-a-pid").stderr()).contains("dump takes a process id, not 'not-a-pid'");
        }

        /** Issue 27 item 17: one line on each side, whatever goes wrong, and the application left alone. */
        @Test
        void attachSaysTheOutcomeInOneLineOnEachSide() throws Exception {
            Path targetErr = dir.resolve("target.err");
            // JDK 21+ (JEP 451) warns on every dynamic load unless the JVM allows it up front, as the README says
            Process target = new ProcessBuilder(
                            ForkedJvm.javaExecutable(),
                            "-XX:+IgnoreUnrecognizedVMOptions",
                            "-XX:+EnableDynamicAgentLoading",
                            "-cp",
                            ForkedJvm.classPath(),
                            "io.jlockdep.scenarios.HoldAndWait")
                    .directory(dir.toFile())
                    .redirectError(targetErr.toFile())
                    .start();
            String pid = Long.toString(target.pid());
            try {
                assertThat(new java.io.BufferedReader(new java.io.InputStreamReader(
                                        target.getInputStream(), java.nio.charset.StandardCharsets.UTF_8))
                                .readLine())
                        .isEqualTo("holding");
                AgentJvm.Result bad = tool("attach", pid, "mode=loud");
                assertThat(bad.exitCode()).as("%s", bad).isEqualTo(2);
                assertThat(bad.stderr().lines().toList())
                        .as("checked here, before the application is touched")
                        .containsExactly("jlockdep: not attached to process " + pid
                                + ": bad value 'loud' for option 'mode' (expected warn or fail)");
                Path missing = dir.resolve("no-such.lockspec");
                AgentJvm.Result absent = tool("attach", pid, "spec=" + missing);
                assertThat(absent.exitCode()).as("%s", absent).isEqualTo(2);
                assertThat(absent.stderr().lines().toList())
                        .as("what only the application's JVM can tell comes back from it")
                        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                        .startsWith(
                                "jlockdep: process " + pid + " did not start the agent: option 'spec': no such file")
                        .contains("no-such.lockspec");
                AgentJvm.Result ok = tool("attach", pid, "log=stderr");
                assertThat(ok.exitCode()).as("%s", ok).isZero();
                assertThat(ok.stdout().lines().toList())
                        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                        .matches("jlockdep \\S+ attached to process " + pid + " with log=stderr");
                AgentJvm.Result again = tool("attach", pid);
                assertThat(again.exitCode()).as("%s", again).isEqualTo(2);
                assertThat(again.stderr().lines().toList())
                        .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                        .contains("runs the jlockdep agent already");
            } finally {
                target.getOutputStream().close();
                if (!target.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
                    target.destroyForcibly();
                }
            }
            assertThat(target.exitValue()).as("the application ran on").isZero();
            assertThat(Files.readString(targetErr).lines().toList())
                    .as("the application's side: one line for the attach that failed there, none for the one"
                            + " refused before it, and no JDK trace or assertion lines")
                    .singleElement(org.assertj.core.api.InstanceOfAssertFactories.STRING)
                    .startsWith("jlockdep: not attached: option 'spec': no such file");
            assertThat(tool("attach", "not-a-pid").stderr()).contains("attach takes a process id, not 'not-a-pid'");
        }

        @Test
        void mergeFindsTheCycleThatNoSingleJvmSaw() throws Exception {
            Path ab = reportOf("half-ab");
            Path ba = reportOf("half-ba");
            Path json = dir.resolve("merged.json");
            AgentJvm.Result r = tool("merge", ab.toString(), ba.toString(), "--json", json.toString());
            assertThat(r.exitCode()).as("%s", r).isEqualTo(1);
            assertThat(r.stdout())
                    .contains(
                            "possible circular locking dependency across JVMs",
                            "ReentrantLock at io.jlockdep.scenarios.Scenarios$CrossJvm.<clinit>",
                            "in process");
            assertThat(Files.readString(json))
                    .contains("\"crossJvmCycles\":[{\"rule\":\"lockdep/circular-dependency\"");
            assertThat(tool("merge", ab.toString()).exitCode())
                    .as("one report: nothing across JVMs")
                    .isZero();
        }

        @Test
        void renderWritesASelfContainedHtmlAndADotFile() throws Exception {
            Path sub = Files.createDirectories(dir.resolve("escape"));
            AgentJvm.Result run = ForkedJvm.run(sub, "", "names-to-escape");
            assertThat(run.rules()).containsExactly("lockdep/circular-dependency");
            Path html = dir.resolve("out.html");
            Path dot = dir.resolve("out.dot");
            AgentJvm.Result r = tool(
                    "render",
                    sub.resolve("report.json").toString(),
                    "--html",
                    html.toString(),
                    "--dot",
                    dot.toString());
            assertThat(r.exitCode()).as("%s", r).isZero();
            String page = Files.readString(html);
            assertThat(page)
                    .contains(
                            "<svg",
                            "stroke=\"#c00\"",
                            "Scenarios$Escaped",
                            "second &quot;quoted&quot; &amp; more",
                            "first &lt;b&gt;")
                    .doesNotContain("first <b>", "<script");
            assertThat(Files.readString(dot)).startsWith("digraph jlockdep {").contains("color=red");
        }

        @Test
        void badUsageIsNamed() throws Exception {
            AgentJvm.Result r = tool("render", "nope.json");
            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.stderr()).contains("render needs a report and --html OUT or --dot OUT");
            assertThat(tool("frobnicate").stderr()).contains("unknown command 'frobnicate'");
            assertThat(tool("merge", "missing.json").stderr()).contains("no such file");
        }

        @Test
        void eachViolationIsAFlightRecorderEvent() throws Exception {
            Path jfr = dir.resolve("rec.jfr");
            AgentJvm.Result r = ForkedJvm.exec(
                    dir,
                    List.of(
                            ForkedJvm.javaExecutable(),
                            "-XX:StartFlightRecording=filename=" + jfr,
                            "-javaagent:" + ForkedJvm.agentJar() + "=log=off",
                            "-cp",
                            ForkedJvm.classPath(),
                            ForkedJvm.mainOf("importer-maps-unlocked"),
                            "importer-maps-unlocked"));
            assertThat(r.exitCode()).as("%s", r).isZero();
            AgentJvm.Result print = ForkedJvm.exec(
                    dir,
                    List.of(
                            Path.of(System.getProperty("java.home"), "bin", "jfr")
                                    .toString(),
                            "print",
                            "--events",
                            "io.jlockdep.Violation",
                            jfr.toString()));
            assertThat(print.stdout())
                    .contains(
                            "io.jlockdep.Violation {",
                            "rule = \"dma-buf/importer-locked\"",
                            "dma_buf_map_attachment without holding");
        }
    }

    @Nested
    class Logging {

        private AgentJvm.Result run(String log, boolean slf4jOnClassPath) throws Exception {
            return ForkedJvm.exec(
                    dir,
                    List.of(
                            ForkedJvm.javaExecutable(),
                            "-javaagent:" + ForkedJvm.agentJar() + "=log=" + log,
                            "-cp",
                            ForkedJvm.classPath(slf4jOnClassPath),
                            ForkedJvm.mainOf("importer-maps-unlocked"),
                            "importer-maps-unlocked"));
        }

        @Test
        void throughTheApplicationsSlf4jWhenItHasAProvider() throws Exception {
            AgentJvm.Result r = run("auto", true);
            assertThat(r.exitCode()).as("%s", r).isZero();
            assertThat(r.stderr())
                    .as("slf4j-simple's format: [thread] LEVEL logger - message")
                    .contains("[main] WARN io.jlockdep - ", "jlockdep: rule dma-buf/importer-locked");
        }

        @Test
        void onStderrWithoutSlf4j() throws Exception {
            AgentJvm.Result r = run("auto", false);
            assertThat(r.stderr())
                    .contains("jlockdep: rule dma-buf/importer-locked")
                    .doesNotContain("WARN io.jlockdep");
        }

        @Test
        void offMeansOnlyTheReport() throws Exception {
            AgentJvm.Result r = run("off", true);
            assertThat(r.exitCode()).isZero();
            assertThat(r.stderr()).doesNotContain("dma-buf/importer-locked");
        }

        @Test
        void slf4jAskedForButAbsentStopsTheJvm() throws Exception {
            AgentJvm.Result r = run("slf4j", false);
            assertThat(r.exitCode()).isEqualTo(1);
            assertThat(r.stderr())
                    .contains("jlockdep: option log=slf4j, but org.slf4j.LoggerFactory is not on the class path");
        }
    }

    @Nested
    class DynamicAttach {

        @Test
        void attachingToARunningJvmRetransformsWhatIsLoadedAndChecksFromThen() throws Exception {
            Path report = dir.resolve("attach.json");
            AgentJvm.Result r = ForkedJvm.exec(
                    dir,
                    List.of(
                            ForkedJvm.javaExecutable(),
                            "-Djdk.attach.allowAttachSelf=true",
                            "-Djlockdep.agent.jar=" + ForkedJvm.agentJar(),
                            "-Djlockdep.agent.options=report=" + report,
                            "-cp",
                            ForkedJvm.classPath(),
                            "io.jlockdep.scenarios.Scenarios",
                            "attach-later"));
            assertThat(r.exitCode()).as("%s", r).isZero();
            assertThat(r.stdout()).contains("attached", "done attach-later");
            Map<String, Object> json = ForkedJvm.asMap(JsonReader.parse(Files.readString(report)));
            @SuppressWarnings("unchecked")
            List<Map<String, Object>> violations = (List<Map<String, Object>>) json.get("violations");
            assertThat(violations).extracting(v -> v.get("rule")).containsExactly("lockdep/circular-dependency");
            assertThat(Files.readString(report)).contains("ReentrantLock allocated before jlockdep started");
        }
    }
}
