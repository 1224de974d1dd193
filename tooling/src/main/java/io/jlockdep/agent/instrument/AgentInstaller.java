package io.jlockdep.agent.instrument;

import io.jlockdep.agent.engine.Lockdep;
import io.jlockdep.agent.engine.LockdepConfig;
import io.jlockdep.agent.hook.AgentFacade;
import io.jlockdep.agent.hook.GuardHooks;
import io.jlockdep.agent.hook.Hooks;
import io.jlockdep.agent.report.AgentSink;
import io.jlockdep.agent.report.Echo;
import io.jlockdep.agent.report.JsonReport;
import io.jlockdep.agent.report.LockdepControl;
import io.jlockdep.agent.report.LogOutput;
import io.jlockdep.agent.spec.LockSpec;
import io.jlockdep.agent.specfile.SpecFiles;
import io.jlockdep.agent.specfile.SuppressionFiles;
import io.jlockdep.api.Jlockdep;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Starts the agent: parses the options, loads the specifications, builds the engine and its
 * sinks, hands the hooks their settings and installs each {@link LockFamily}. Everything that can
 * be wrong with the options or a spec file is found here, before the application runs, and
 * reported as an {@link IllegalArgumentException} naming it.
 *
 * <p>What is instrumented is the list {@link #families}: one class per family of lock types,
 * each with its classes, methods and hook calls, patched with plain ASM ({@link PlanTransformer}).
 * Byte Buddy is loaded only when a class a spec rule is about loads ({@link SpecRules}). No patch
 * adds a field or a method, so retransformation and attaching to a running JVM work.
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
    public record Installed(
            AgentOptions options, Lockdep engine, AgentSink sink, List<LockSpec> specs, LogOutput log) {}

    private static boolean registered;

    private static synchronized void register(Installed agent) {
        if (registered) {
            return;
        }
        if (!io.jlockdep.agent.report.JdkModules.MANAGEMENT) {
            agent.log().warn("jlockdep: jmx=on: this runtime has no module java.management; no MBean");
            return;
        }
        // in a class of its own: one that names javax.management cannot even load without the module
        registered = MBeans.register(agent);
    }

    /**
     * Tells the Attach API that this JVM runs the agent ({@code dump PID} reads it): an agent
     * property, the JDK's place for what tools attaching to a JVM read (its local JMX address is
     * one), not a system property the application would see. Without it {@code dump} refuses
     * this JVM, which is said once here.
     */
    private static void publishRunning(Instrumentation inst, LogOutput log) {
        Package own = AgentInstaller.class.getPackage(); // null for classes the agent defines itself
        String version = own == null ? null : own.getImplementationVersion();
        if (!io.jlockdep.agent.report.AgentProperties.set(
                inst, LockdepControl.RUNNING_PROPERTY, version == null ? "unknown" : version)) {
            log.warn("jlockdep: java -jar jlockdep-agent.jar dump cannot recognise this JVM: this JDK keeps its"
                    + " agent properties from agents");
        }
    }

    /** A second attach with exactly {@code jmx=on} ({@code dump PID} sends it): the MBean, if it is not there yet. */
    private static void registerOnRequest(Installed agent) {
        if (!registered) {
            register(agent); // a failure is logged there
            if (registered) {
                agent.log()
                        .warn("jlockdep: the MBean " + LockdepControl.NAME + " registered on request (an attach"
                                + " with jmx=on, as java -jar jlockdep-agent.jar dump sends)");
            }
        }
    }

    /** The running agent, or null. */
    public static Installed installed() {
        return installed;
    }

    /**
     * The instrumented lock families. A new lock type is a new {@link LockFamily} and one line here.
     *
     * @param notices where a class left uninstrumented is recorded
     */
    static List<LockFamily> lockFamilies(Notices notices) {
        return List.of(
                new ReentrantLocks(),
                new ReadWriteLocks(),
                new StampedLocks(),
                new Semaphores(),
                new ConcurrentHashMaps(),
                new ThreadEnds(),
                new ReservationLocks(),
                new Monitors(notices));
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
            if (LockdepControl.REGISTER_REQUEST.equals(args)) {
                registerOnRequest(installed); // java -jar jlockdep-agent.jar dump PID
                return installed;
            }
            // a second -javaagent (a build that adds the agent twice): one line, and the first one goes on
            System.err.println("jlockdep: already attached to this JVM; the second agent ("
                    + (args == null || args.isEmpty() ? "no options" : "options " + Echo.quote(args)) + ") is ignored");
            return installed;
        }
        AgentOptions options = AgentOptions.parse(args);
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
                        .suppressions(SuppressionFiles.load(options.suppressions(), ruleIds(specs)))
                        .sameClassNesting(
                                options.sameClassReport()
                                        ? LockdepConfig.SameClassNesting.REPORT
                                        : LockdepConfig.SameClassNesting.INSTANCE_ORDER)
                        .instanceNamer(Hooks::instanceName)
                        .build(),
                sink);
        sink.attach(engine);
        sink.writeFirstReport(); // a report path that cannot be written stops the JVM here, like any bad option

        // Lock paths never call application code: record, as classes load, which of the methods a
        // path names are plain field getters (read as fields), before any of those classes loads.
        GetterIndex getters = new GetterIndex(SpecRules.pathMethods(specs));
        inst.addTransformer(getters, true);
        inst.addTransformer(new WrapperIndex(options.wrappers()), false);
        Notices notices = Notices.of(engine);
        for (String absent : io.jlockdep.agent.report.JdkModules.leftOut()) {
            notices.notice(absent, false); // said once: the agent runs without its extras
        }
        SpecRules specRules = new SpecRules(specs, getters, notices);
        NamedTargets named = new NamedTargets(specs, options.wrappers(), notices);
        if (named.any()) {
            inst.addTransformer(named, false);
            named.checkLoaded(inst);
        }
        Map<String, String> allocatedIn = new HashMap<>();
        Map<String, String> fields = new HashMap<>();
        for (LockSpec spec : specs) {
            for (LockSpec.ClassAssignment c : spec.classes()) {
                String previous = (c.byField() ? fields : allocatedIn).putIfAbsent(c.target(), c.name());
                if (previous != null && !previous.equals(c.name())) {
                    throw new IllegalArgumentException("spec " + spec.source() + ":" + c.line() + ": " + c.target()
                            + " is given two lock classes, '" + previous + "' and '" + c.name() + "'");
                }
            }
        }
        Hooks.install(
                new Hooks.Settings(engine, specRules.entries(), atStartup, options.semaphores(), allocatedIn, fields));
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

        if (options.guards().mode() != GuardScope.Mode.OFF) {
            // before the monitors' transformer: a @Holding check in a synchronized method then runs
            // after the monitor is taken (the rewritten method takes it explicitly, first)
            GuardHooks.install(engine);
            inst.addTransformer(new GuardTransformer(notices, !atStartup, options.guards()), true);
        }
        List<LockFamily> families = new ArrayList<>(lockFamilies(notices));
        families.add(specRules);
        List<ClassPlan> plans = new ArrayList<>();
        List<String> preloaded = new ArrayList<>();
        for (LockFamily f : families) {
            plans.addAll(f.plans());
            preloaded.addAll(f.preloaded());
        }
        PlanTransformer planTransformer = new PlanTransformer(plans, notices);
        inst.addTransformer(planTransformer, true);
        for (LockFamily f : families) {
            f.installed(inst, atStartup);
        }
        retransform(
                inst,
                atStartup
                        ? startupTargets(inst, preloaded, specRules)
                        : loadedTargets(inst, planTransformer, specRules),
                engine);
        for (LockFamily f : families) {
            f.awaitInstalled();
        }

        if (options.watchdogMillis() > 0) {
            Watchdog.start(engine, options.watchdogMillis());
        }
        Installed result = new Installed(options, engine, sink, specs, log);
        if (options.jmx()) {
            register(result);
        }
        installed = result;
        publishRunning(inst, log);
        Jlockdep.started(new AgentFacade(engine), options.failFast());
        Thread writer = new Thread(
                () -> {
                    engine.releaseDeferred(); // cycles that waited on monitors' roles
                    if (named.any()) {
                        named.atExit(); // before the report, which lists the notices
                    }
                    sink.writeLastReport(options.failFast());
                },
                "jlockdep-report");
        Runtime.getRuntime().addShutdownHook(writer);
        return result;
    }

    /** Every rule ID this JVM can report: the engine's and each loaded spec's. */
    private static List<String> ruleIds(List<LockSpec> specs) {
        List<String> ids = new ArrayList<>(io.jlockdep.api.Rules.engineRules());
        ids.addAll(io.jlockdep.api.Rules.guardRules());
        for (LockSpec spec : specs) {
            for (LockSpec.Rule rule : spec.rules()) {
                ids.add(spec.name() + "/" + rule.name());
            }
        }
        return ids;
    }

    /**
     * The classes to retransform at start-up: the JDK lock classes the families patch, and the
     * classes of spec rules that the JVM loaded before premain (a rule on {@code java.util.ArrayList}
     * must be checked like any other).
     */
    private static List<Class<?>> startupTargets(Instrumentation inst, List<String> preloaded, SpecRules specRules) {
        List<Class<?>> targets = new ArrayList<>();
        for (String name : preloaded) {
            try {
                targets.add(Class.forName(name, false, null));
            } catch (ClassNotFoundException e) {
                // VirtualThread before Java 21
            }
        }
        Set<String> specClasses = specRules.ruleClasses();
        if (!specClasses.isEmpty()) {
            for (Class<?> c : inst.getAllLoadedClasses()) {
                if (specClasses.contains(c.getName())) {
                    targets.add(c);
                }
            }
        }
        return targets;
    }

    /** Attaching to a running JVM: every loaded class a family or a spec rule is about. */
    private static List<Class<?>> loadedTargets(Instrumentation inst, PlanTransformer plans, SpecRules specRules) {
        List<Class<?>> targets = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            if (!c.isArray() && !c.isPrimitive() && (plans.patches(c.getName()) || specRules.wants(c))) {
                targets.add(c);
            }
        }
        return targets;
    }

    /**
     * Retransforms {@code targets}: all in one call, so the JVM stops the world and walks its
     * classes once rather than once per class; if that fails, one at a time, so that one failure
     * costs one class. A class that cannot be changed is named in a notice, never silently unchecked.
     */
    private static void retransform(Instrumentation inst, List<Class<?>> targets, Lockdep engine) {
        List<Class<?>> modifiable = new ArrayList<>();
        for (Class<?> c : targets) {
            if (inst.isModifiableClass(c)) {
                modifiable.add(c);
            } else {
                engine.addNotice(
                        "cannot instrument " + c.getName() + ": the JVM does not let agents change that class");
            }
        }
        try {
            inst.retransformClasses(modifiable.toArray(new Class<?>[0]));
            return;
        } catch (Exception | LinkageError all) {
            // one of them cannot be changed: find which, below
        }
        for (Class<?> c : modifiable) {
            try {
                inst.retransformClasses(c);
            } catch (Exception | LinkageError e) {
                engine.addNotice("cannot instrument " + c.getName() + ", left uninstrumented: " + e);
            }
        }
    }
}
