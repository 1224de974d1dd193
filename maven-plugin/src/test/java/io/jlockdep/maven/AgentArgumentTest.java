package io.jlockdep.maven;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentArgumentTest {

    @TempDir
    Path dir;

    private final File agent = new File("/repo/io/jlockdep/jlockdep-agent/1.0/jlockdep-agent-1.0.jar");

    @Test
    void theOptionsAreTheAgentsOwnSyntaxWithTheReportDirectoryFirst() throws Exception {
        Path spec = Files.writeString(dir.resolve("my.lockspec"), "spec my\n");
        String options = new AgentArgument(dir.resolve("test").toFile())
                .mode("fail")
                .sameClass("report")
                .watchdog("500")
                .specs(List.of(spec.toFile()))
                .wrappers(List.of("com.example.Guarded", "com.example.Other$Inner"))
                .options();
        assertThat(options)
                .isEqualTo("report=" + dir.resolve("test") + File.separator
                        + ",mode=fail,same-class=report,watchdog=500,spec=" + spec
                        + ",wrappers=com.example.Guarded;com.example.Other$Inner");
    }

    @Test
    void itIsAppendedToAnotherAgentAndReplacesAnEarlierJlockdepAgent() {
        AgentArgument a = new AgentArgument(dir.toFile());
        String jacoco = "-javaagent:/repo/org.jacoco.agent-0.8.13-runtime.jar=destfile=/p/target/jacoco.exec";
        String once = a.appendTo(jacoco + " -Xmx512m", agent);
        assertThat(once).isEqualTo(jacoco + " -Xmx512m " + a.jvmArgument(agent));
        String twice = new AgentArgument(dir.resolve("it").toFile()).appendTo(once, agent);
        assertThat(AgentArgument.split(twice))
                .as("prepare-agent-integration after prepare-agent: one jlockdep agent, the later one")
                .hasSize(3)
                .last()
                .asString()
                .contains("report=" + dir.resolve("it"));
        assertThat(a.appendTo(null, agent)).isEqualTo(a.jvmArgument(agent));
    }

    @Test
    void aPathWithSpacesIsQuotedAsSurefireSplitsArgLine() {
        AgentArgument a = new AgentArgument(new File("/home/me/my project/target/jlockdep/test"));
        String arg = a.jvmArgument(new File("/home/me/.m2/jlockdep-agent-1.0.jar"));
        assertThat(arg).startsWith("\"-javaagent:").endsWith("\"");
        assertThat(AgentArgument.split("-ea " + arg + " -Dx=1")).hasSize(3).contains(arg);
        assertThat(AgentArgument.split(a.appendTo("-ea " + arg, agent)))
                .as("the quoted earlier agent is recognised and replaced")
                .hasSize(2);
    }

    @Test
    void badValuesAreNamedAtTheStartOfTheBuild() {
        AgentArgument a = new AgentArgument(dir.toFile());
        assertThatThrownBy(() -> a.mode("loud")).hasMessage("mode is 'loud': expected one of fail, warn");
        assertThatThrownBy(() -> a.watchdog("5")).hasMessage("watchdog is 5 ms: expected 10 to 3600000, or off");
        assertThatThrownBy(() -> a.watchdog("soon")).hasMessageContaining("watchdog is 'soon'");
        assertThatThrownBy(() -> a.gates("yes")).hasMessage("gates is 'yes': expected one of off, on");
        assertThatThrownBy(() -> a.guards("maybe"))
                .hasMessage("guards is 'maybe': expected on, off, all, or package names with a dot"
                        + " (com.example;org.acme) separated by ;");
        assertThat(new AgentArgument(dir.toFile())
                        .guards("com.example;org.acme.cache")
                        .jvmArgument(new File("a.jar")))
                .contains(",guards=com.example;org.acme.cache");
        assertThatThrownBy(() -> a.specs(List.of(dir.resolve("missing.lockspec").toFile())))
                .hasMessageContaining("specs: no such file")
                .hasMessageContaining("missing.lockspec");
        assertThatThrownBy(() -> a.wrappers(List.of("not a class")))
                .hasMessage("wrappers: 'not a class' is not a Java class name");
        assertThatThrownBy(() -> new AgentArgument(new File("/tmp/a,b")))
                .hasMessageContaining("has a ',', ';' or '\"'");
        assertThat(a.options()).as("nothing bad was kept").isEqualTo("report=" + dir + File.separator);
    }
}
