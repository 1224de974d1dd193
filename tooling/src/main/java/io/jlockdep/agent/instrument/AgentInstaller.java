package io.jlockdep.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.isDefaultFinalizer;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;

import io.jlockdep.agent.engine.Lockdep;
import io.jlockdep.agent.engine.LockdepConfig;
import io.jlockdep.agent.hook.Hooks;
import io.jlockdep.agent.report.AgentSink;
import io.jlockdep.agent.report.Echo;
import io.jlockdep.agent.report.JsonReport;
import io.jlockdep.agent.report.LockdepControl;
import io.jlockdep.agent.report.LogOutput;
import io.jlockdep.agent.spec.LockSpec;
import io.jlockdep.agent.specfile.SpecFiles;
import io.jlockdep.api.Jlockdep;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import javax.management.JMException;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.utility.JavaModule;

/**
 * Starts the agent: parses the options, loads the specifications, builds the engine and its
 * sinks, hands the hooks their settings and installs each {@link LockFamily}. Everything that can
 * be wrong with the options or a spec file is found here, before the application runs, and
 * reported as an {@link IllegalArgumentException} naming it.
 *
 * <p>What is instrumented is the list {@link #families}: one class per family of lock types,
 * each with its matchers and advice. No advice adds a field or a method, so retransformation and
 * attaching to a running JVM work.
 */
public final class AgentInstaller {

    /**
     * The frames recorded stacks start after: the hooks and the instrumentation, then the lock
     * implementations they instrument, so a stack starts where the application took the lock.
     */
    static final List<String> SKIPPED_FRAMES = List.of(
            Hooks.class.getPackageName() + ".",
            AgentInstaller.class.getPackageName() + ".",
            "java.util.concurrent.locks.ReentrantLock",
            "java.util.concurrent.locks.ReentrantReadWriteLock",
            "java.util.concurrent.locks.AbstractQueuedSynchronizer",
            "io.jlockdep.resv.ReservationLock",
            "io.jlockdep.resv.WwAcquireContext");

    private static volatile Installed installed;

    private AgentInstaller() {}

    /** What a running agent consists of. */
    public record Installed(AgentOptions options, Lockdep engine, AgentSink sink, List<LockSpec> specs) {}

    /** The running agent, or null. */
    public static Installed installed() {
        return installed;
    }

    /**
     * The instrumented lock families. A new lock type is a new {@link LockFamily} and one line here.
     *
     * @param specRules the rules of the loaded specifications
     */
    static List<LockFamily> families(SpecRules specRules) {
        return List.of(
                new ReentrantLocks(),
                new ReadWriteLocks(),
                new StampedLocks(),
                new Semaphores(),
                new ConcurrentHashMaps(),
                new ThreadEnds(),
                new ReservationLocks(),
                new Monitors(),
                specRules);
    }

    /**
     * Starts the agent.
     *
     * @throws IllegalArgumentException a bad option or a malformed or unreadable spec, named
     */
    public static synchronized Installed install(String args, Instrumentation inst) {
        return install(args, inst, false);
    }

    /**
     * Starts the agent; {@code atStartup} (premain): only the JDK lock classes are loaded yet, so
     * only they are retransformed, instead of searching every loaded class (start-up time).
     */
    public static synchronized Installed install(String args, Instrumentation inst, boolean atStartup) {
        if (installed != null) {
            // a second -javaagent (a build that adds the agent twice): one line, and the first one goes on
            System.err.println("jlockdep: already attached to this JVM; the second agent ("
                    + (args == null || args.isEmpty() ? "no options" : "options " + Echo.quote(args)) + ") is ignored");
            return installed;
        }
        AgentOptions options = AgentOptions.parse(args);
        // Byte Buddy's "safe" mode: no sun.misc.Unsafe, so JDK 24+ prints no deprecation warning.
        // (The key is derived from the relocated package, so the shaded copy reads it.)
        // The property is read once, when Byte Buddy's class injectors initialise: they are made to
        // initialise here, and the property is removed again, so the application sees nothing of it.
        String safe = ByteBuddy.class.getPackageName() + ".safe";
        if (System.getProperty(safe) == null) {
            System.setProperty(safe, "true");
            try {
                net.bytebuddy.dynamic.loading.ClassInjector.UsingUnsafe.isAvailable();
                net.bytebuddy.dynamic.loading.ClassInjector.UsingReflection.isAvailable();
            } finally {
                System.clearProperty(safe);
            }
        }
        List<LockSpec> specs = SpecFiles.load(options.specs());
        if (options.log() == LogOutput.Mode.SLF4J && !LogOutput.slf4jPresent()) {
            throw new IllegalArgumentException(
                    "option log=slf4j, but org.slf4j.LoggerFactory is not on the class path");
        }
        LogOutput log = new LogOutput(options.log(), System.err);
        JsonReport report = options.report() == null
                ? null
                : new JsonReport(options.report(), options.reportAsGiven(), options.failFast() ? "fail" : "warn");
        if (report != null) {
            report.removeStaleTemporaries();
        }
        AgentSink sink = new AgentSink(log, report);
        Lockdep engine = new Lockdep(
                LockdepConfig.builder()
                        .skippedFrames(SKIPPED_FRAMES)
                        .failFast(options.failFast())
                        .gateLocks(options.gates())
                        .instanceNamer(Hooks::instanceName)
                        .build(),
                sink);
        sink.attach(engine);
        sink.writeFirstReport(); // a report path that cannot be written stops the JVM here, like any bad option

        // Lock paths never call application code: record, as classes load, which of the methods a
        // path names are plain field getters (read as fields), before any of those classes loads.
        GetterIndex getters = new GetterIndex(SpecRules.pathMethods(specs));
        inst.addTransformer(getters, true);
        SpecRules specRules = new SpecRules(specs, getters, log);
        Hooks.install(new Hooks.Settings(engine, specRules.entries(), atStartup, options.semaphores()));
        try {
            inst.redefineModule(
                    ReentrantLock.class.getModule(),
                    Set.of(),
                    Map.of(),
                    Map.of("java.util.concurrent.locks", Set.of(Hooks.class.getModule())),
                    Set.of(),
                    Map.of());
            Hooks.initSyncAccess();
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("jlockdep: cannot read java.util.concurrent.locks internals (" + e
                    + "); spec rules about a ReentrantLock are not checked");
        }

        List<LockFamily> families = families(specRules);
        List<String> preloaded = new ArrayList<>();
        for (LockFamily f : families) {
            preloaded.addAll(f.preloaded());
        }
        // Byte Buddy skips synthetic methods by default; lambda bodies are synthetic and take locks.
        // Start-up: no type validation, and method graphs of declared methods only (advice never
        // needs inherited ones), as agents that care for start-up time do.
        AgentBuilder builder = new AgentBuilder.Default(new ByteBuddy()
                        .with(TypeValidation.DISABLED)
                        .with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE)
                        .ignore(isDefaultFinalizer()))
                .disableClassFormatChanges()
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(AgentBuilder.DescriptionStrategy.Default.POOL_FIRST)
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(
                        atStartup
                                ? new AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.Explicit(
                                        loadedTargets(inst, preloaded, specRules.ruleClasses(), engine))
                                : AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.SinglePass.INSTANCE)
                // One type pool cache per class loader: super types (callback rules) are parsed once.
                .with(new AgentBuilder.PoolStrategy.WithTypePoolCache.Simple(new ConcurrentHashMap<>()))
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(new Listener(engine))
                .ignore(nameStartsWith("io.jlockdep.agent.")
                        .or(nameStartsWith("io.jlockdep.api."))
                        .or(nameStartsWith("io.jlockdep.shaded."))
                        .or(nameStartsWith("net.bytebuddy."))
                        .or(isSynthetic()));
        for (LockFamily f : families) {
            builder = f.instrument(builder);
        }
        builder.installOn(inst);
        for (LockFamily f : families) {
            f.installed(inst, atStartup);
        }

        if (options.watchdogMillis() > 0) {
            Watchdog.start(engine, options.watchdogMillis());
        }
        if (options.jmx()) {
            try {
                LockdepControl.register(engine, sink, log);
            } catch (JMException | RuntimeException e) {
                log.warn("jlockdep: cannot register the MBean " + LockdepControl.NAME + ": " + e);
            }
        }
        Installed result = new Installed(options, engine, sink, specs);
        installed = result;
        Jlockdep.started(engine, options.failFast());
        Thread writer = new Thread(() -> sink.writeLastReport(options.failFast()), "jlockdep-report");
        Runtime.getRuntime().addShutdownHook(writer);
        return result;
    }

    /**
     * The classes to retransform at start-up: the JDK lock classes the families instrument, and the
     * classes of spec rules that the JVM loaded before premain (a rule on {@code java.util.ArrayList}
     * must be checked like any other). A rule's class that cannot be retransformed is named in a
     * notice, never silently unchecked.
     */
    private static Class<?>[] loadedTargets(
            Instrumentation inst, List<String> preloaded, Set<String> specClasses, Lockdep engine) {
        List<Class<?>> targets = new ArrayList<>();
        for (String name : preloaded) {
            try {
                targets.add(Class.forName(name, false, null));
            } catch (ClassNotFoundException e) {
                // VirtualThread before Java 21
            }
        }
        if (!specClasses.isEmpty()) {
            for (Class<?> c : inst.getAllLoadedClasses()) {
                if (specClasses.contains(c.getName())) {
                    if (inst.isModifiableClass(c)) {
                        targets.add(c);
                    } else {
                        engine.addNotice("spec rules on " + c.getName() + " cannot be checked: the JVM does not let"
                                + " agents change that class");
                    }
                }
            }
        }
        return targets.toArray(new Class<?>[0]);
    }

    /**
     * Records every class that could not be instrumented in the report's {@code notices[]}, with
     * the reason, and never stops the application. A generated class (a CGLIB or Mockito proxy,
     * whose interfaces the type pool often cannot resolve) is recorded quietly; any other is also
     * printed, once.
     */
    private static final class Listener extends AgentBuilder.Listener.Adapter {
        private final Lockdep engine;

        Listener(Lockdep engine) {
            this.engine = engine;
        }

        @Override
        public void onError(String typeName, ClassLoader loader, JavaModule module, boolean loaded, Throwable error) {
            String text = "cannot instrument " + typeName + ", left uninstrumented: " + error;
            if (generated(typeName)) {
                engine.addQuietNotice(text);
            } else {
                engine.addNotice(text);
            }
        }

        /** Whether a class name is one a code generator made (proxies, enhancers). */
        static boolean generated(String name) {
            return name.contains("$$")
                    || name.contains("$Proxy")
                    || name.contains("CGLIB")
                    || name.contains("$ByteBuddy$")
                    || name.contains("$HibernateProxy$");
        }
    }
}
