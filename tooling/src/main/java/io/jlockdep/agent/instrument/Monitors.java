package io.jlockdep.agent.instrument;

import static io.jlockdep.agent.instrument.Advices.advice;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isBootstrapClassLoader;
import static net.bytebuddy.matcher.ElementMatchers.isExtensionClassLoader;
import static net.bytebuddy.matcher.ElementMatchers.isNative;
import static net.bytebuddy.matcher.ElementMatchers.isSynchronized;
import static net.bytebuddy.matcher.ElementMatchers.not;

import java.lang.instrument.Instrumentation;
import java.util.List;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;

/**
 * Java monitors in application classes: {@code synchronized} methods get Byte Buddy advice
 * ({@link JdkLockAdvice.SynchronizedMethod}: their exceptional exits need its frames);
 * {@code synchronized} blocks and {@code Object.wait} calls get plain ASM ({@link MonitorTransformer},
 * only in classes that have them). The JDK's own classes are left alone, except the
 * {@code Collections.synchronized*} wrappers, whose mutex is the application's lock. Hooks:
 * {@code MonitorHooks}.
 */
final class Monitors implements LockFamily {

    /** Package prefixes whose monitors are not tracked: frameworks around the user's code, not in it. */
    static final List<String> NOT_MONITORED = List.of(
            "io.jlockdep.agent.",
            "io.jlockdep.api.",
            "io.jlockdep.shaded.",
            "io.jlockdep.resv.",
            "org.junit.",
            "org.opentest4j.",
            "org.apiguardian.",
            "org.apache.maven.",
            "org.slf4j.",
            "ch.qos.logback.",
            "org.apache.logging.log4j.");

    @Override
    public AgentBuilder instrument(AgentBuilder builder) {
        return builder.type(Monitors::monitored, not(isBootstrapClassLoader()).and(not(isExtensionClassLoader())))
                .transform((b, type, loader, module, domain) -> b.visit(advice(JdkLockAdvice.SynchronizedMethod.class)
                        .on(isSynchronized().and(not(isAbstract())).and(not(isNative())))));
    }

    @Override
    public void installed(Instrumentation inst, boolean atStartup) {
        inst.addTransformer(new MonitorTransformer(), true);
        if (!atStartup) {
            MonitorTransformer.retransformLoaded(inst);
        } else {
            MonitorTransformer.retransformSynchronizedWrappers(inst);
        }
    }

    /** Application classes whose monitors are tracked: those declaring synchronized methods go to Byte Buddy. */
    private static boolean monitored(TypeDescription type) {
        if (type.isInterface() || type.isAnnotation() || !monitoredName(type.getName())) {
            return false;
        }
        for (MethodDescription m : type.getDeclaredMethods()) {
            if (m.isSynchronized()) {
                return true;
            }
        }
        return false;
    }

    /** Whether a class (binary name) is one whose monitors are tracked. */
    static boolean monitoredName(String name) {
        if (name.startsWith("java.util.Collections$Synchronized")) {
            return true; // the synchronized wrappers: their mutex is the application's lock
        }
        if (name.startsWith("java.")
                || name.startsWith("javax.")
                || name.startsWith("jdk.")
                || name.startsWith("sun.")
                || name.startsWith("com.sun.")) {
            return false; // JDK classes on the application or platform loaders
        }
        for (String prefix : NOT_MONITORED) {
            if (name.startsWith(prefix)) {
                return false;
            }
        }
        return true;
    }
}
