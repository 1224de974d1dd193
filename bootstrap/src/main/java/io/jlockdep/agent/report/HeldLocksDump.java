package io.jlockdep.agent.report;

import io.jlockdep.agent.engine.Lockdep;
import io.jlockdep.api.Violation;
import java.util.List;
import java.util.Map;

/**
 * "Showing all locks held in the system", as the kernel's debug_show_all_locks() prints it: for
 * every thread that holds a tracked lock, each lock with its class, instance, mode and where it
 * was taken.
 */
public final class HeldLocksDump {

    private HeldLocksDump() {}

    public static String render(Lockdep engine) {
        StringBuilder b = new StringBuilder("\nShowing all locks held in the system:\n");
        Map<String, List<Violation.LockInfo>> all = engine.allHeldLocks();
        for (Map.Entry<String, List<Violation.LockInfo>> e : all.entrySet()) {
            b.append(e.getValue().size())
                    .append(" lock")
                    .append(e.getValue().size() == 1 ? "" : "s")
                    .append(" held by ")
                    .append(e.getKey())
                    .append(":\n");
            int i = 0;
            for (Violation.LockInfo l : e.getValue()) {
                b.append(" #")
                        .append(i++)
                        .append(": (")
                        .append(l.className())
                        .append(") ")
                        .append(l.instance())
                        .append(" [")
                        .append(l.mode())
                        .append("], at: ")
                        .append(l.where())
                        .append('\n');
            }
        }
        if (all.isEmpty()) {
            b.append("no locks held\n");
        }
        return b.append("=============================================\n").toString();
    }
}
