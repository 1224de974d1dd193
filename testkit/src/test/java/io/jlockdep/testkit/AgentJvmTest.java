package io.jlockdep.testkit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentJvmTest {

    @TempDir
    Path dir;

    /** The program the tests start: {@code exit CODE TEXT}, {@code report FILE} or {@code block}. */
    public static final class Program {
        public static void main(String[] args) throws Exception {
            switch (args[0]) {
                case "exit" -> {
                    System.out.println("out " + args[2]);
                    System.err.println("err " + args[2]);
                    System.exit(Integer.parseInt(args[1]));
                }
                case "report" ->
                    Files.writeString(
                            Path.of(args[1]),
                            "{\"violations\":[{\"rule\":\"lockdep/bad-unlock-balance\"}]}",
                            StandardCharsets.UTF_8);
                default -> new CountDownLatch(1).await(); // never counted down: runs until killed
            }
        }
    }

    private AgentJvm plain() {
        return AgentJvm.withoutAgent()
                .classPath(System.getProperty("java.class.path"))
                .in(dir);
    }

    @Test
    void theExitStatusAndBothOutputsComeBack() throws Exception {
        AgentJvm.Result r = plain().run(Program.class.getName(), "exit", "7", "hello");
        assertThat(r.exitCode()).isEqualTo(7);
        assertThat(r.timedOut()).isFalse();
        assertThat(r.stdout()).isEqualTo("out hello" + System.lineSeparator());
        assertThat(r.stderr()).isEqualTo("err hello" + System.lineSeparator());
        assertThat(r.report()).isNull();
        assertThat(r.command()).contains("-cp").doesNotContainSequence("-javaagent");
    }

    @Test
    void withoutADirectoryTheOutputIsStillReadAndNothingIsLeftBehind() throws Exception {
        Set<Path> before = ourTemporaries();
        AgentJvm.Result r = AgentJvm.withoutAgent()
                .classPath(System.getProperty("java.class.path"))
                .run(Program.class.getName(), "exit", "0", "tmp");
        assertThat(r.stdout()).isEqualTo("out tmp" + System.lineSeparator());
        assertThat(ourTemporaries()).isSubsetOf(before);
    }

    private static Set<Path> ourTemporaries() throws IOException {
        try (Stream<Path> all = Files.list(Path.of(System.getProperty("java.io.tmpdir")))) {
            return all.filter(f -> f.getFileName().toString().startsWith("jlockdep-jvm"))
                    .collect(Collectors.toSet());
        }
    }

    @Test
    void theReportIsReadBackWithItsRules() throws Exception {
        Path report = dir.resolve("r.json");
        AgentJvm.Result r = plain().report(report).run(Program.class.getName(), "report", report.toString());
        assertThat(r.exitCode()).isZero();
        assertThat(r.rules()).containsExactly("lockdep/bad-unlock-balance");
    }

    @Test
    void aJvmStillRunningAtTheTimeoutIsKilledAndSaysSo() throws Exception {
        AgentJvm.Result r = plain().timeoutSeconds(1).run(Program.class.getName(), "block");
        assertThat(r.timedOut()).isTrue();
        assertThat(r.exitCode()).isEqualTo(-1);
        assertThat(r.toString()).startsWith("killed at the timeout");
    }

    @Test
    void theAgentArgumentCarriesTheOptionsThenTheReport() {
        assertThat(AgentJvm.under(Path.of("a.jar")).agentArgument()).isEqualTo("-javaagent:a.jar");
        assertThat(AgentJvm.under(Path.of("a.jar"))
                        .options("mode=fail,log=stderr")
                        .report(Path.of("r.json"))
                        .agentArgument())
                .isEqualTo("-javaagent:a.jar=mode=fail,log=stderr,report=r.json");
        assertThat(AgentJvm.withoutAgent().agentArgument()).isNull();
        AgentJvm parsed = AgentJvm.fromAgentArgument("-javaagent:b/jlockdep-agent.jar=log=stderr,mode=fail");
        assertThat(parsed.options()).isEqualTo("log=stderr,mode=fail");
        assertThat(parsed.agentArgument()).isEqualTo("-javaagent:b/jlockdep-agent.jar=log=stderr,mode=fail");
        assertThat(AgentJvm.fromAgentArgument("-javaagent:c.jar").agentArgument())
                .isEqualTo("-javaagent:c.jar");
    }
}
