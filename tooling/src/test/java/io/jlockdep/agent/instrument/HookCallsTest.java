package io.jlockdep.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every hook call a lock family inserts names a public static method of the hooks that exists with that descriptor. */
class HookCallsTest {

    @Test
    void everyInsertedCallHasATarget() throws Exception {
        List<Hook> hooks = new ArrayList<>();
        for (LockFamily family : AgentInstaller.lockFamilies((text, quiet) -> {})) {
            for (ClassPlan plan : family.plans()) {
                for (Patch patch : plan.patches()) {
                    addIfPresent(hooks, patch.enter());
                    addIfPresent(hooks, patch.exit());
                    addIfPresent(hooks, patch.thrown());
                }
            }
        }
        addIfPresent(hooks, HookCalls.synchronizedMethod().enter());
        addIfPresent(hooks, HookCalls.synchronizedMethod().exit());
        assertThat(hooks).hasSizeGreaterThan(30);
        for (Hook hook : hooks) {
            Class<?> owner = Class.forName(hook.owner().replace('/', '.'));
            Method target = null;
            for (Method m : owner.getMethods()) {
                if (m.getName().equals(hook.name())
                        && MethodType.methodType(m.getReturnType(), m.getParameterTypes())
                                .toMethodDescriptorString()
                                .equals(hook.descriptor())) {
                    target = m;
                }
            }
            assertThat(target)
                    .as("%s.%s%s", owner.getName(), hook.name(), hook.descriptor())
                    .isNotNull();
            assertThat(Modifier.isStatic(target.getModifiers()))
                    .as("%s is static", target)
                    .isTrue();
        }
    }

    private static void addIfPresent(List<Hook> hooks, Hook hook) {
        if (hook != null) {
            hooks.add(hook);
        }
    }
}
