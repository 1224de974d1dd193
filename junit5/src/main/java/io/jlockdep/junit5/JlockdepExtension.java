package io.jlockdep.junit5;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.junit.platform.commons.support.AnnotationSupport;

/**
 * The JUnit 5 side of jlockdep. Before each test it opens a context in the agent named by the
 * test's unique ID (threads the test starts inherit it); after the test it checks that the test's
 * thread holds no lock, collects the violations filed under the context — new ones and repeats
 * of earlier ones — and fails the test with their lockdep reports, unless they are the ones the
 * test declared with {@link ExpectViolation}. An expected rule that did not happen fails the test
 * too. Register it with {@link CheckLocking} or by JUnit's extension auto-detection.
 */
public final class JlockdepExtension implements BeforeEachCallback, AfterEachCallback, TestExecutionExceptionHandler {

    static final String HOW_TO_ATTACH = "jlockdep: the jlockdep agent is not attached to this JVM, so locking cannot be"
            + " checked. Attach it to the test JVM, e.g. in the pom: <plugin><artifactId>maven-surefire-plugin</artifactId>"
            + "<configuration><argLine>-javaagent:${settings.localRepository}/io/jlockdep/jlockdep-agent/VERSION/"
            + "jlockdep-agent-VERSION.jar=report=${project.build.directory}/jlockdep/</argLine></configuration></plugin>"
            + " (see the jlockdep README).";

    /**
     * Whether the agent runs here: its API class is on the boot class path (where -javaagent puts
     * it; a copy on the class path does not count) and it was installed.
     */
    static boolean agentAttached() {
        try {
            Class.forName("io.jlockdep.api.Jlockdep", false, null);
        } catch (ClassNotFoundException e) {
            return false;
        }
        return AgentBridge.isActive();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        if (!agentAttached()) {
            throw new AssertionError(HOW_TO_ATTACH);
        }
        AgentBridge.enter(context.getUniqueId());
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable thrown) throws Throwable {
        if (agentAttached() && expected(context).contains(AgentBridge.violationRule(thrown))) {
            return; // expected, in fail mode: the violation is filed under the test and checked after it
        }
        throw thrown;
    }

    @Override
    public void afterEach(ExtensionContext context) {
        if (!agentAttached()) {
            return;
        }
        List<AgentBridge.Found> happened = AgentBridge.finish(context.getUniqueId(), context.getDisplayName());
        Set<String> expected = expected(context);
        // In fail mode the test already failed with the LockdepViolationError of its violation: not twice.
        String thrown = context.getExecutionException()
                .filter(t -> AgentBridge.violationRule(t) != null)
                .map(Throwable::getMessage)
                .orElse(null);
        Map<String, AgentBridge.Found> unexpected = new LinkedHashMap<>();
        Set<String> seen = new LinkedHashSet<>();
        for (AgentBridge.Found v : happened) {
            seen.add(v.rule());
            if (!expected.contains(v.rule()) && !(v.rule() + ": " + v.message()).equals(thrown)) {
                unexpected.putIfAbsent(v.rule() + "|" + v.message() + "|" + v.thread(), v);
            }
        }
        List<String> missing = new ArrayList<>();
        for (String rule : expected) {
            if (!seen.contains(rule)) {
                missing.add(rule);
            }
        }
        if (unexpected.isEmpty() && missing.isEmpty()) {
            return;
        }
        StringBuilder msg = new StringBuilder();
        if (!unexpected.isEmpty()) {
            msg.append("jlockdep: ")
                    .append(unexpected.size())
                    .append(" locking violation(s) during ")
                    .append(context.getDisplayName())
                    .append(": ");
            Set<String> rules = new LinkedHashSet<>();
            unexpected.values().forEach(v -> rules.add(v.rule()));
            msg.append(String.join(", ", rules));
            for (AgentBridge.Found v : unexpected.values()) {
                msg.append(System.lineSeparator())
                        .append(v.rule())
                        .append(" on thread ")
                        .append(v.thread());
                if (v.repeat()) {
                    msg.append(" — the same violation as reported earlier in this run; its first report:");
                }
                msg.append(System.lineSeparator()).append(v.report());
            }
        }
        if (!missing.isEmpty()) {
            if (msg.length() > 0) {
                msg.append(System.lineSeparator());
            }
            msg.append("jlockdep: expected violation(s) did not happen during ")
                    .append(context.getDisplayName())
                    .append(": ")
                    .append(String.join(", ", missing));
        }
        throw new AssertionError(msg.toString());
    }

    private static Set<String> expected(ExtensionContext context) {
        Set<String> rules = new LinkedHashSet<>();
        Method m = context.getTestMethod().orElse(null);
        if (m != null) {
            for (ExpectViolation e : AnnotationSupport.findRepeatableAnnotations(m, ExpectViolation.class)) {
                rules.add(e.value());
            }
        }
        return rules;
    }
}
