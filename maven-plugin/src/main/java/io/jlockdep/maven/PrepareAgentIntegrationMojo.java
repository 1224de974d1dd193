package io.jlockdep.maven;

import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;

/**
 * {@code jlockdep:prepare-agent-integration}: {@code prepare-agent} for Failsafe's integration
 * test JVMs, run before them; their reports go to {@code target/jlockdep/it/}.
 */
@Mojo(name = "prepare-agent-integration", defaultPhase = LifecyclePhase.PRE_INTEGRATION_TEST, threadSafe = true)
public class PrepareAgentIntegrationMojo extends AbstractPrepareMojo {

    @Override
    String runDirectoryName() {
        return "it";
    }
}
