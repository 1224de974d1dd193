package io.jlockdep.agent.hook;

import io.jlockdep.agent.engine.Lockdep;
import io.jlockdep.api.RunningAgent;
import io.jlockdep.api.Violation;
import java.util.List;

/** What the public API ({@code io.jlockdep.api.Jlockdep}) reaches of a running agent: the engine's queries and the hooks' class setting. */
public final class AgentFacade implements RunningAgent {

    private final Lockdep engine;

    public AgentFacade(Lockdep engine) {
        this.engine = engine;
    }

    @Override
    public boolean checkNothingHeld(String where) {
        return engine.checkNothingHeld(where);
    }

    @Override
    public List<Violation> violations() {
        return engine.violations();
    }

    @Override
    public void setLockClass(Object lock, String name) {
        Hooks.setLockClass(lock, name);
    }
}
