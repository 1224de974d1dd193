package io.jlockdep.agent.report;

/** The agent's JMX interface, {@code io.jlockdep:type=Lockdep} (option {@code jmx=on}). */
public interface LockdepControlMXBean {

    /** Every thread's held locks, as the kernel's "show all locks held"; also logged. */
    String heldLocks();

    /** How many violations were reported so far. */
    int violationCount();

    /** Writes the JSON report now (when the agent has one). */
    void writeReport();
}
