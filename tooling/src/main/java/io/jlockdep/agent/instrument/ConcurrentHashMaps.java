package io.jlockdep.agent.instrument;

import static io.jlockdep.agent.instrument.ClassPlan.MethodMatch.constructors;
import static io.jlockdep.agent.instrument.ClassPlan.MethodMatch.named;

import java.util.List;

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
    public List<ClassPlan> plans() {
        return List.of(new ClassPlan(TYPE)
                .on(constructors(), HookCalls.mapCreated())
                .on(named("compute", "computeIfAbsent", "computeIfPresent", "merge"), HookCalls.mapCompute()));
    }
}
