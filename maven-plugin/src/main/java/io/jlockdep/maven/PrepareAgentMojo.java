package io.jlockdep.maven;

import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * {@code jlockdep:prepare-agent}: appends {@code -javaagent:jlockdep-agent.jar=...} to the
 * {@code argLine} property, so that Surefire's test JVMs run under the agent and write their
 * reports to {@code target/jlockdep/test/}; reports of an earlier build there are deleted first.
 */
@Mojo(name = "prepare-agent", defaultPhase = LifecyclePhase.INITIALIZE, threadSafe = true)
public class PrepareAgentMojo extends AbstractPrepareMojo {

    @Override
    String runDirectoryName() {
        return "test";
    }
}
