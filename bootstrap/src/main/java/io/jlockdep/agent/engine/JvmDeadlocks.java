package io.jlockdep.agent.engine;

import java.lang.management.LockInfo;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.lang.management.ThreadMXBean;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeSet;

/**
 * The JVM's own deadlock check, asked at every watchdog scan after jlockdep's
 * ({@link DeadlockDetector}): {@code ThreadMXBean.findDeadlockedThreads()} sees every monitor and
 * ownable synchronizer, tracked or not (a JDK class's monitors, a lock in a blind spot of the
 * agent). A cycle the JVM finds and jlockdep's wait-for graph does not account for is reported as
 * {@code lockdep/deadlock} all the same, once, with each thread's stack, what it waits for and who
 * holds it, and the monitors and synchronizers it holds, from {@link ThreadInfo}. The JVM also
 * names a cycle through a thread in a timed wait ({@code tryLock(3, SECONDS)}), which gives up
 * and ends the cycle: such a cycle is not a deadlock and is not reported.
 */
public final class JvmDeadlocks {

    private final Lockdep engine;
    private final DeadlockDetector tracked;
    private final Set<String> reported = new HashSet<>();
    /** The cycle the previous scan found, not yet reported: jlockdep's own detector gets one scan to account for it. */
    private String previous = "";

    private ThreadMXBean threads;

    public JvmDeadlocks(Lockdep engine, DeadlockDetector tracked) {
        this.engine = engine;
        this.tracked = tracked;
    }

    /**
     * Asks the JVM once; reports the deadlocks jlockdep has not.
     *
     * @return the number reported by this scan
     */
    public int scan() {
        if (threads == null) {
            threads = ManagementFactory.getThreadMXBean(); // made on the watchdog's thread, at its first scan
        }
        long[] ids = threads.isSynchronizerUsageSupported()
                ? threads.findDeadlockedThreads()
                : threads.findMonitorDeadlockedThreads();
        if (ids == null) {
            previous = "";
            return 0;
        }
        Set<Long> all = new TreeSet<>();
        for (long id : ids) {
            all.add(id);
        }
        String key = all.toString();
        // Seen twice, as jlockdep's own detector requires: a thread that has just announced its
        // acquisition and blocked may not have been in jlockdep's last snapshot yet.
        boolean seenBefore = key.equals(previous);
        previous = key;
        if (!seenBefore || tracked.accountsFor(all) || reported.contains(key)) {
            return 0;
        }
        ThreadInfo[] infos = threads.getThreadInfo(
                ids, threads.isObjectMonitorUsageSupported(), threads.isSynchronizerUsageSupported());
        for (ThreadInfo info : infos) {
            if (info != null && info.getThreadState() == Thread.State.TIMED_WAITING) {
                // a timed wait (tryLock(3, SECONDS)) gives up: the JVM names its cycle, but no
                // thread of it waits for ever (asked again at the next scan, should it stay)
                return 0;
            }
        }
        reported.add(key);
        StringBuilder b = new StringBuilder();
        b.append(ids.length)
                .append(" threads wait for each other and none can go on (found by the JVM,")
                .append(" ThreadMXBean.findDeadlockedThreads: the locks are not all tracked by jlockdep):\n");
        ThreadInfo first = null;
        for (ThreadInfo info : infos) {
            if (info == null) {
                continue; // ended meanwhile
            }
            first = first == null ? info : first;
            describe(b, info);
        }
        if (first == null) {
            return 0;
        }
        Thread thread = findThread(first.getThreadId());
        engine.reportObservedDeadlock(b.toString(), thread, first.getStackTrace());
        return 1;
    }

    private static void describe(StringBuilder b, ThreadInfo info) {
        LockInfo waits = info.getLockInfo();
        b.append('\n')
                .append(info.getThreadName())
                .append(" waits for ")
                .append(waits == null ? "?" : lockName(waits))
                .append(info.getLockOwnerName() == null ? "" : ", held by " + info.getLockOwnerName())
                .append(", at:\n");
        StackTraceElement[] stack = info.getStackTrace();
        for (int i = 0; i < Math.min(stack.length, 12); i++) {
            b.append("       ").append(stack[i]).append('\n');
        }
        MonitorInfo[] monitors = info.getLockedMonitors();
        LockInfo[] synchronizers = info.getLockedSynchronizers();
        b.append(" holding ").append(monitors.length + synchronizers.length).append(" lock(s):\n");
        int k = 0;
        for (MonitorInfo m : monitors) {
            b.append("  #").append(k++).append(": ").append(lockName(m)).append(" (monitor)");
            if (m.getLockedStackFrame() != null) {
                b.append(", taken at: ").append(m.getLockedStackFrame());
            }
            b.append('\n');
        }
        for (LockInfo s : synchronizers) {
            b.append("  #").append(k++).append(": ").append(lockName(s)).append(" (ownable synchronizer)\n");
        }
    }

    private static String lockName(LockInfo lock) {
        String type = lock.getClassName();
        return type.substring(type.lastIndexOf('.') + 1) + "@" + Integer.toHexString(lock.getIdentityHashCode()) + " ("
                + type + ")";
    }

    private static Thread findThread(long id) {
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getId() == id) {
                return t;
            }
        }
        return Thread.currentThread();
    }
}
