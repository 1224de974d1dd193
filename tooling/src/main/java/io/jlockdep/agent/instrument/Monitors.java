package io.jlockdep.agent.instrument;

import java.lang.instrument.Instrumentation;
import java.util.List;

/**
 * Java monitors in application classes: {@code synchronized} methods, {@code synchronized} blocks
 * and {@code Object.wait} calls, rewritten by {@link MonitorTransformer} in the classes that have them. The JDK's own classes are left alone, except the
 * {@code Collections.synchronized*} wrappers, whose mutex is the application's lock. Hooks:
 * {@code MonitorHooks}.
 */
final class Monitors implements LockFamily {

    /** Package prefixes whose monitors are not tracked: frameworks around the user's code, not in it. */
    static final List<String> NOT_MONITORED = List.of(
            "io.jlockdep.agent.",
            "io.jlockdep.api.",
            "io.jlockdep.shaded.",
            "io.jlockdep.resv.",
            "org.junit.",
            "org.opentest4j.",
            "org.apiguardian.",
            "org.apache.maven.",
            "org.slf4j.",
            "ch.qos.logback.",
            "org.apache.logging.log4j.");

    private final Notices notices;

    Monitors(Notices notices) {
        this.notices = notices;
    }

    @Override
    public void installed(Instrumentation inst, boolean atStartup) {
        inst.addTransformer(new MonitorTransformer(notices), true);
        if (!atStartup) {
            MonitorTransformer.retransformLoaded(inst);
        } else {
            MonitorTransformer.retransformSynchronizedWrappers(inst);
        }
    }

    /** Whether a class (binary name) is one whose monitors are tracked. */
    static boolean monitoredName(String name) {
        if (name.startsWith("java.util.Collections$Synchronized")) {
            return true; // the synchronized wrappers: their mutex is the application's lock
        }
        if (name.startsWith("java.")
                || name.startsWith("javax.")
                || name.startsWith("jdk.")
                || name.startsWith("sun.")
                || name.startsWith("com.sun.")) {
            return false; // JDK classes on the application or platform loaders
        }
        for (String prefix : NOT_MONITORED) {
            if (name.startsWith(prefix)) {
                return false;
            }
        }
        return true;
    }
}
