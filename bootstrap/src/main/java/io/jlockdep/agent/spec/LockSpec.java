package io.jlockdep.agent.spec;

import io.jlockdep.agent.engine.ApiRule;
import java.util.List;

/**
 * A parsed locking specification: a name and its rules. Each rule has a kind, the rule's words
 * and citation, and the entries it applies to: a method of a class (or, for callback rules, of
 * every implementation of an interface), the path to the lock it is about, and the name reports
 * give the function (the kernel's, for dma-buf).
 */
public record LockSpec(String name, String source, List<Rule> rules, List<ClassAssignment> classes) {

    public LockSpec {
        rules = List.copyOf(rules);
        classes = List.copyOf(classes);
    }

    /** A spec of rules only. */
    public LockSpec(String name, String source, List<Rule> rules) {
        this(name, source, rules, List.of());
    }

    /**
     * A {@code class} statement, the kernel's {@code lockdep_set_class_and_name} written down: the
     * locks it selects belong to the lock class {@code name} (one class per name).
     *
     * @param name the lock class's name, as reports show it
     * @param byField true: monitors read from the field {@code target} ({@code Owner.field});
     *     false: JDK locks allocated in the method {@code target} ({@code Owner.method})
     * @param target the field or method
     * @param line where it is written
     */
    public record ClassAssignment(String name, boolean byField, String target, int line) {}

    /** One rule: {@code <spec-name>/<rule-name>} is its ID. */
    public record Rule(String name, ApiRule.Kind kind, String text, String cite, List<Entry> entries, int line) {
        public Rule {
            entries = List.copyOf(entries);
        }
    }

    /**
     * One method a rule applies to.
     *
     * @param className  the declaring class, or for callback rules the interface implemented
     * @param methodName the method
     * @param parameters parameter type names (simple or qualified) to pick an overload, or null for every overload
     * @param lock       the path to the lock
     * @param function   the name reports use (e.g. {@code dma_buf_map_attachment})
     * @param lockName   how reports describe the lock (e.g. {@code attach->dmabuf->resv})
     * @param line       where it is written
     */
    public record Entry(
            String className,
            String methodName,
            List<String> parameters,
            LockPath lock,
            String function,
            String lockName,
            int line) {}

    /** The engine rule for {@code entry} of {@code rule}. */
    public ApiRule apiRule(Rule rule, Entry entry) {
        return new ApiRule(
                name + "/" + rule.name(), rule.kind(), entry.function(), entry.lockName(), rule.text(), rule.cite());
    }
}
