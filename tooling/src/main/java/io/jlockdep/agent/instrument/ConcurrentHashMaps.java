package io.jlockdep.agent.instrument;

import static io.jlockdep.agent.instrument.Advices.advice;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;

import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;

/**
 * {@code ConcurrentHashMap}: compute, computeIfAbsent, computeIfPresent and merge run the
 * caller's function under a bin lock, so the map is a lock while they run (a map's class is its
 * allocation site). Hooks: {@code Hooks.map*}.
 */
final class ConcurrentHashMaps implements LockFamily {

    private static final String TYPE = "java.util.concurrent.ConcurrentHashMap";

    @Override
    public List<String> preloaded() {
        return List.of(TYPE);
    }

    @Override
    public AgentBuilder instrument(AgentBuilder builder) {
        return builder.type(named(TYPE))
                .transform((b, type, loader, module, domain) -> b.visit(
                                advice(JdkLockAdvice.MapCreated.class).on(isConstructor()))
                        .visit(advice(JdkLockAdvice.MapCompute.class)
                                .on(namedOneOf("compute", "computeIfAbsent", "computeIfPresent", "merge"))));
    }
}
