package io.jlockdep.agent.spec;

import io.jlockdep.agent.engine.ApiRule;
import java.util.List;

/**
 * A parsed locking specification: a name and its rules. Each rule has a kind, the rule's words
 * and citation, and the entries it applies to: a method of a class (or, for callback rules, of
 * every implementation of an interface), the path to the lock it is about, and the name reports
 * give the function (the kernel's, for dma-buf).
 */
public record LockSpec(String name, String source, List<Rule> rules) {

    public LockSpec {
        rules = List.copyOf(rules);
    }

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
