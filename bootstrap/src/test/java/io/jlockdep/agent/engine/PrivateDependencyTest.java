package io.jlockdep.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jlockdep.api.Rules;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Dependencies recorded on a lock only one thread has taken (issue 28, "not yet shared"):
 * ZooKeeper's peer loads its database under its own monitor, taking the database's log lock,
 * before the peer's threads exist. Nothing else could hold that lock then: with other threads'
 * work on shared locks it makes no cycle, whichever comes first. The thread's own cycles still
 * count (one thread taking two locks in both orders is the cycle two threads running that code
 * would deadlock on), so do cycles of private dependencies only (each thread's own objects stand
 * for the code that takes them), and the dependency taken again once the lock is shared is
 * validated anew.
 */
class PrivateDependencyTest {

    private final Fixture f = new Fixture();
    private final LockClass peer = f.cls("QuorumPeer");
    private final LockClass log = f.cls("ZKDatabase.logLock");
    private final LockClass leader = f.cls("Leader");
    private final Object quorumPeer = new Fixture.Lock("peer");
    private final Object logLock = new Fixture.Lock("logLock");
    private final Object theLeader = new Fixture.Lock("leader");

    private void nest(Object outer, LockClass outerClass, Object inner, LockClass innerClass, int innerFlags) {
        f.lock(outer, outerClass);
        f.lockMode(inner, innerClass, Lockdep.WRITE, innerFlags);
        f.unlock(inner, innerClass);
        f.unlock(outer, outerClass);
    }

    /** The peer's own threads: the log lock (shared now), the leader, the peer. */
    private void peerThreads() throws InterruptedException {
        Thread t = new Thread(() -> {
            f.engine.lockShared(logLock, log); // the instrumentation's word: another thread uses it
            nest(logLock, log, theLeader, leader, 0);
            nest(theLeader, leader, quorumPeer, peer, 0);
        });
        t.start();
        t.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(t.isAlive()).isFalse();
    }

    @Test
    void aDependencyOnALockNotYetSharedDoesNotCloseAnotherThreadsCycle() throws InterruptedException {
        nest(quorumPeer, peer, logLock, log, Lockdep.PRIVATE); // start(): loadDataBase()
        peerThreads();
        assertThat(f.reported).isEmpty();
        assertThat(f.engine.hasDependency(peer, log))
                .as("recorded all the same")
                .isTrue();
    }

    @Test
    void theSameDependencyOnceTheLockIsSharedClosesTheCycle() throws InterruptedException {
        nest(quorumPeer, peer, logLock, log, Lockdep.PRIVATE);
        peerThreads();
        nest(quorumPeer, peer, logLock, log, 0); // the peer's monitor, then the shared log lock
        assertThat(f.rules()).containsExactly(Rules.CIRCULAR_DEPENDENCY);
    }

    @Test
    void oneThreadsOwnPrivateDependenciesStillMakeACycle() {
        nest(quorumPeer, peer, logLock, log, Lockdep.PRIVATE);
        nest(logLock, log, quorumPeer, peer, 0);
        assertThat(f.rules()).containsExactly(Rules.CIRCULAR_DEPENDENCY);
    }

    @Test
    void locksNeverSharedStillMakeTheCycleTheirCodeHas() throws InterruptedException {
        nest(quorumPeer, peer, logLock, log, Lockdep.PRIVATE);
        Object otherPeer = new Fixture.Lock("peer 2");
        Object otherLog = new Fixture.Lock("logLock 2");
        Thread t = new Thread(() -> nest(otherLog, log, otherPeer, peer, Lockdep.PRIVATE));
        t.start();
        t.join(TimeUnit.SECONDS.toMillis(10));
        assertThat(t.isAlive()).isFalse();
        assertThat(f.rules())
                .as("two tests on two threads, each with its own objects: the code has the cycle")
                .containsExactly(Rules.CIRCULAR_DEPENDENCY);
    }

    @Test
    void aDependencyOnALockNotYetSharedClosesNoCycleWithOtherThreadsSharedWork() throws InterruptedException {
        Object otherPeer = new Fixture.Lock("peer 2");
        Object otherLog = new Fixture.Lock("logLock 2");
        Thread t = new Thread(() -> {
            nest(otherLog, log, theLeader, leader, 0);
            nest(theLeader, leader, otherPeer, peer, 0);
        });
        t.start(); // another peer's threads first
        t.join(TimeUnit.SECONDS.toMillis(10));
        nest(quorumPeer, peer, logLock, log, Lockdep.PRIVATE); // then this peer's start()
        assertThat(f.reported).as("nothing else held this peer's log lock then").isEmpty();
    }
}
