package io.jlockdep.agent.report;

import java.util.ArrayList;
import java.util.List;

/**
 * The optional JDK modules the agent's extras use, as this runtime has them: a runtime made with
 * {@code jlink} may leave out {@code jdk.jfr} (violations as Flight Recorder events) and
 * {@code java.management} (the watchdog's JVM deadlock check, the MBean, {@code dump}). The agent
 * runs without them, and says once what it left out ({@link #leftOut}).
 */
public final class JdkModules {

    /** Whether {@code jdk.jfr} is in the runtime. */
    public static final boolean JFR = present("jdk.jfr");

    /** Whether {@code java.management} is in the runtime. */
    public static final boolean MANAGEMENT = present("java.management");

    private JdkModules() {}

    private static boolean present(String module) {
        return ModuleLayer.boot().findModule(module).isPresent();
    }

    /** What the agent leaves out in this runtime, one sentence each; empty when nothing. */
    public static List<String> leftOut() {
        List<String> out = new ArrayList<>();
        if (!JFR) {
            out.add("this runtime has no module jdk.jfr: violations are not recorded as Flight Recorder events");
        }
        if (!MANAGEMENT) {
            out.add("this runtime has no module java.management: the watchdog's JVM deadlock check, the MBean"
                    + " (jmx=on) and java -jar jlockdep-agent.jar dump are not available");
        }
        return out;
    }
}
