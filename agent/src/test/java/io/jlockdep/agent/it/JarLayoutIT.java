package io.jlockdep.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jlockdep.testkit.AgentJvm;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent jar's layout as a checked JVM sees it: the API, the engine and the hooks come from
 * the boot class path; the tooling (installer, spec parser) and the relocated Byte Buddy are
 * invisible to the application and to the boot loader; the command-line tools are never loaded;
 * and nothing of it turns class-data sharing off.
 */
class JarLayoutIT {

    @TempDir
    Path dir;

    @Test
    void theApplicationSeesTheBootstrapPartAndNeverTheTooling() throws Exception {
        List<String> names = List.of(
                "io.jlockdep.api.Jlockdep",
                "io.jlockdep.agent.engine.Lockdep",
                "io.jlockdep.agent.hook.Hooks",
                "io.jlockdep.agent.instrument.AgentInstaller",
                "io.jlockdep.agent.specfile.SpecParser",
                "io.jlockdep.shaded.bytebuddy.ByteBuddy",
                "net.bytebuddy.ByteBuddy");
        List<String> command = new ArrayList<>(List.of(
                ForkedJvm.javaExecutable(),
                "-Xlog:class+load=info",
                "-javaagent:" + ForkedJvm.agentJar() + "=log=stderr",
                "-cp",
                ForkedJvm.classPath(),
                "io.jlockdep.scenarios.Layout"));
        command.addAll(names);
        AgentJvm.Result r = ForkedJvm.exec(dir, command);
        assertThat(r.exitCode()).as(r.toString()).isZero();
        assertThat(r.stdout())
                .contains("done layout")
                .contains("io.jlockdep.api.Jlockdep boot")
                .contains("io.jlockdep.agent.engine.Lockdep boot")
                .contains("io.jlockdep.agent.hook.Hooks boot")
                .contains("io.jlockdep.agent.instrument.AgentInstaller absent")
                .contains("io.jlockdep.agent.specfile.SpecParser absent")
                .contains("io.jlockdep.shaded.bytebuddy.ByteBuddy absent")
                .contains("net.bytebuddy.ByteBuddy absent");
        // The installer did run, from the agent's own loader; the command-line tools never load.
        assertThat(r.stdout())
                .containsPattern("io\\.jlockdep\\.agent\\.instrument\\.AgentInstaller source: jar:file:.*!/inst/");
        assertThat(r.stdout()).doesNotContain("io.jlockdep.agent.cli.");
        // Byte Buddy proper loads only for a class a spec rule is about, and none loads here: the
        // lock families are patched with the relocated ASM alone (start-up time).
        assertThat(r.stdout())
                .containsPattern("io\\.jlockdep\\.shaded\\.bytebuddy\\.jar\\.asm\\.ClassReader source:")
                .doesNotContainPattern("io\\.jlockdep\\.shaded\\.bytebuddy\\.(?!jar\\.asm\\.|utility\\.)\\S+ source:");
        // The bootstrap part went into the boot loader without a boot class path append, so the
        // JVM keeps class-data sharing for every loader and says nothing about it.
        assertThat(r.stdout()).doesNotContain("bootstrap classpath has been appended");
        assertThat(r.stderr()).doesNotContain("Sharing is only supported");
    }
}
