package io.jlockdep.agent.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Stack frames as a person reads them on a console: the frames of the test framework, the build
 * tool and reflection under the test method (JUnit, Surefire, Failsafe, {@code Method.invoke})
 * are cut, with a count in their place. The report files keep every frame.
 */
public final class Frames {

    /** Where a test JVM's own code ends: everything from the first of these down is the harness. */
    private static final List<String> HARNESS = List.of(
            "org.junit.",
            "junit.framework.",
            "org.testng.",
            "org.apache.maven.surefire.",
            "org.apache.maven.plugin.surefire.",
            "org.apache.maven.plugin.failsafe.",
            "org.opentest4j.",
            "jdk.internal.reflect.",
            "sun.reflect.",
            "java.lang.reflect.Method.invoke(");

    private Frames() {}

    /** Whether {@code frame} ("module/class.method(File.java:N)" or without the module) is the harness's. */
    static boolean harness(String frame) {
        String f = frame.substring(frame.indexOf('/') + 1); // "java.base/..." -> "..."
        for (String prefix : HARNESS) {
            if (f.startsWith(prefix)) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code stack} up to its first harness frame, then one line counting the frames cut; at most
     * {@code max} frames are kept in any case. A stack with no harness frame is kept whole (up to
     * {@code max}).
     */
    public static List<String> trim(List<String> stack, int max) {
        List<String> kept = new ArrayList<>();
        int i = 0;
        while (i < stack.size() && kept.size() < max && !harness(stack.get(i))) {
            kept.add(stack.get(i++));
        }
        if (i < stack.size()) {
            boolean harness = harness(stack.get(i));
            kept.add("... " + (stack.size() - i) + " more frame(s)"
                    + (harness ? " of the test framework, the build tool and reflection" : "")
                    + " (whole stacks in the report files)");
        }
        return kept;
    }
}
