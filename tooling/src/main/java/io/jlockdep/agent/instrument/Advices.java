package io.jlockdep.agent.instrument;

import io.jlockdep.agent.hook.LockMode;
import io.jlockdep.agent.hook.LockView;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.dynamic.ClassFileLocator;

/** How every family builds its advice: the advice class's bytes come from the agent's own loader. */
final class Advices {

    /**
     * Where Byte Buddy reads the advice classes' bytes: the class loader that loaded the tooling
     * (the agent's own, which serves its class files as resources).
     */
    private static final ClassFileLocator ADVICE_CLASSES = Advices.class.getClassLoader() == null
            ? ClassFileLocator.ForClassLoader.ofSystemLoader()
            : ClassFileLocator.ForClassLoader.of(Advices.class.getClassLoader());

    private Advices() {}

    static ClassFileLocator locator() {
        return ADVICE_CLASSES;
    }

    /** The advice of {@code adviceClass}. */
    static Advice advice(Class<?> adviceClass) {
        return Advice.to(adviceClass, ADVICE_CLASSES);
    }

    /** The advice of {@code adviceClass} with {@link LockMode} bound to the view {@code mode}. */
    static Advice lockAdvice(Class<?> adviceClass, LockView mode) {
        return Advice.withCustomMapping().bind(LockMode.class, mode).to(adviceClass, ADVICE_CLASSES);
    }
}
