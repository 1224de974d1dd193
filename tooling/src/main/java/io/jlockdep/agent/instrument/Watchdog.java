package io.jlockdep.agent.instrument;

import io.jlockdep.agent.engine.DeadlockDetector;
import io.jlockdep.agent.engine.JvmDeadlocks;
import io.jlockdep.agent.engine.Lockdep;
import java.util.concurrent.locks.LockSupport;

/**
 * The deadlock watchdog: a daemon thread that wakes every interval and runs a
 * {@link DeadlockDetector} scan, then asks the JVM for the deadlocks jlockdep cannot see
 * ({@link JvmDeadlocks}: untracked monitors and synchronizers). Idle, it costs one wake-up per interval and a walk over the
 * threads that hold or wait for a tracked lock. It reports while the JVM hangs: through the log
 * and the JSON report, as every violation.
 */
final class Watchdog implements Runnable {

    private final DeadlockDetector detector;
    private final JvmDeadlocks jvm;
    private final long intervalNanos;
    private final Lockdep engine;

    private Watchdog(Lockdep engine, long intervalMillis) {
        this.engine = engine;
        this.detector = new DeadlockDetector(engine);
        // the JVM's own check needs java.management, which a jlink'ed runtime may lack
        this.jvm = io.jlockdep.agent.report.JdkModules.MANAGEMENT ? new JvmDeadlocks(engine, detector) : null;
        this.intervalNanos = intervalMillis * 1_000_000L;
    }

    static void start(Lockdep engine, long intervalMillis) {
        Thread t = new Thread(new Watchdog(engine, intervalMillis), "jlockdep-watchdog");
        t.setDaemon(true);
        t.setPriority(Thread.MAX_PRIORITY);
        t.start();
    }

    @Override
    public void run() {
        while (!engine.isDisabled()) {
            LockSupport.parkNanos(intervalNanos);
            try {
                detector.scan();
                if (jvm != null) {
                    jvm.scan(); // after jlockdep's own: what it accounts for is not reported twice
                }
            } catch (RuntimeException e) {
                // a scan races with running threads; the next one starts afresh
            }
        }
    }
}
