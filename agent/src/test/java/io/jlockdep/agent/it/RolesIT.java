package io.jlockdep.agent.it;

import static org.assertj.core.api.Assertions.assertThat;

import io.jlockdep.testkit.AgentJvm;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 28: lock classes as fine as the roles real code gives one field. Each shape is a false
 * positive found on a real project's test suite, silent now, and its crossing variant (the roles
 * really crossing) still reported. Programs of {@code io.jlockdep.scenarios.Roles}.
 */
class RolesIT {

    @TempDir
    Path dir;

    /**
     * Found by the plugin's own sample under the first version of the owner key: objects made by
     * ordinary methods (each test its own) are not roles; the cycle is reported.
     */
    @Test
    void ownersMadeByOrdinaryMethodsAtTwoSitesKeepOneClassPerField() throws Exception {
        AgentJvm.Result r = ForkedJvm.run(dir, "", "roles-two-tests");
        assertThat(r.rules()).as("%s", r).containsExactly("lockdep/circular-dependency");
    }

    @Test
    void aFieldOfABaseClassIsKeyedByTheClassOfItsOwner() throws Exception {
        AgentJvm.Result r = ForkedJvm.run(dir, "", "roles-base-field");
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.rules()).as("%s", r).isEmpty();
        assertThat(r.report().toString())
                .contains("io.jlockdep.scenarios.Roles$ConnectionPool.evictionLock")
                .contains("io.jlockdep.scenarios.Roles$StatementPool.evictionLock");
        AgentJvm.Result crossing = ForkedJvm.run(dir, "", "roles-base-field-crossing");
        assertThat(crossing.rules())
                .as("a statement pool's lock before the connection pool's: the roles cross, %s", crossing)
                .isNotEmpty()
                .containsOnly("lockdep/circular-dependency");
    }

    /**
     * DBCP: a connection's pooled object, the connection, its statement pool's close lock, a
     * statement's pooled object. One type made at two sites that nest: two roles.
     */
    @Test
    void objectsOfOneTypeMadeAtTwoSitesThatNestAreTwoRoles() throws Exception {
        for (String shape : new String[] {"roles-pooled-objects", "roles-pooled-objects-inner-first"}) {
            AgentJvm.Result r = ForkedJvm.run(dir, "", shape);
            assertThat(r.exitCode()).as("%s", r).isZero();
            assertThat(r.rules()).as("%s", r).isEmpty();
        }
        for (String variant : new String[] {"roles-pooled-objects-crossing", "roles-pooled-objects-crossing-first"}) {
            AgentJvm.Result crossing = ForkedJvm.run(dir, "", variant);
            assertThat(crossing.rules())
                    .as("a connection's pooled object under a statement's: the roles cross, %s", crossing)
                    .containsExactly("lockdep/circular-dependency");
            assertThat(crossing.report().toString())
                    .contains("io.jlockdep.scenarios.Roles$Pooled made at io.jlockdep.scenarios.Roles.makeConnection(")
                    .contains("io.jlockdep.scenarios.Roles$Pooled made at"
                            + " io.jlockdep.scenarios.Roles$PoolingConnection.makeStatement(");
        }
    }

    /** Objects of one type made at two sites that never nest keep one class: the two-tests cycle is reported. */
    @Test
    void objectsMadeAtTwoSitesThatNeverNestKeepOneClass() throws Exception {
        AgentJvm.Result r = ForkedJvm.run(dir, "", "roles-two-tests-monitors");
        assertThat(r.rules()).as("%s", r).containsExactly("lockdep/circular-dependency");
        assertThat(r.report().toString()).contains("Reported when the run ended");
    }

    /**
     * ZooKeeper: the peer's monitor, then its database's log lock, taken before the peer's
     * threads exist; those threads take the log lock, the leader, the peer. The log lock had only
     * been used by its creator: nothing else could hold it, so no deadlock through it then.
     */
    @Test
    void aDependencyOnALockNotYetSharedDoesNotMakeAnotherThreadsCycle() throws Exception {
        AgentJvm.Result r = ForkedJvm.run(dir, "", "roles-not-yet-shared");
        assertThat(r.exitCode()).as("%s", r).isZero();
        assertThat(r.rules()).as("%s", r).isEmpty();
        for (String variant : new String[] {"roles-not-yet-shared-crossing", "roles-not-yet-shared-static"}) {
            AgentJvm.Result crossing = ForkedJvm.run(dir, "", variant);
            assertThat(crossing.rules())
                    .as("the same dependency on a shared lock: %s", crossing)
                    .containsExactly("lockdep/circular-dependency");
        }
    }
}
