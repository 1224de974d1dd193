package io.jlockdep.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isBootstrapClassLoader;
import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isDefaultFinalizer;
import static net.bytebuddy.matcher.ElementMatchers.isExtensionClassLoader;
import static net.bytebuddy.matcher.ElementMatchers.isNative;
import static net.bytebuddy.matcher.ElementMatchers.isSynchronized;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.namedOneOf;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.jlockdep.agent.engine.ApiRule;
import io.jlockdep.agent.engine.Lockdep;
import io.jlockdep.agent.engine.LockdepConfig;
import io.jlockdep.agent.report.AgentSink;
import io.jlockdep.agent.report.JsonReport;
import io.jlockdep.agent.report.LogOutput;
import io.jlockdep.agent.spec.Echo;
import io.jlockdep.agent.spec.LockPath;
import io.jlockdep.agent.spec.LockSpec;
import io.jlockdep.agent.spec.SpecException;
import io.jlockdep.agent.spec.SpecParser;
import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.locks.ReentrantLock;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/**
 * Starts the agent: parses the options, loads the specifications, builds the engine and its
 * sinks, and installs the instrumentation. Everything that can be wrong with the options or a
 * spec file is found here, before the application runs, and reported as an
 * {@link IllegalArgumentException} naming it.
 *
 * <h2>What is instrumented</h2>
 * <ul>
 *   <li>{@code io.jlockdep.resv.ReservationLock} and {@code WwAcquireContext}: every ww lock,
 *       trylock, slow-path and unlock method, and init/done/fini ({@link WwAdvice}).</li>
 *   <li>Each method of each specification rule ({@link ApiAdvice}); for callback rules, every
 *       non-abstract implementation in a class that implements the named interface.</li>
 *   <li>{@code ReentrantLock}, {@code ReentrantReadWriteLock}'s read and write views, their
 *       constructors (allocation site = lock class) and conditions' {@code await*}
 *       ({@link JdkLockAdvice}); {@code Thread.exit} and {@code VirtualThread.run} for thread end.
 *       These JDK classes are already loaded and are retransformed.</li>
 *   <li>{@code synchronized} blocks, {@code synchronized} methods and {@code Object.wait} calls in
 *       application classes ({@link MonitorVisitor}), except the agent, the runtime's own
 *       reservation internals, and the test and logging frameworks of {@link #NOT_MONITORED}.</li>
 * </ul>
 * No advice adds a field or a method, so retransformation and attaching to a running JVM work.
 */
public final class AgentInstaller {

    /**
     * The frames recorded stacks start after: the instrumentation, then the lock implementations
     * it instruments, so a stack starts where the application took the lock.
     */
    static final List<String> SKIPPED_FRAMES = List.of(AgentInstaller.class.getPackageName() + ".",
            "java.util.concurrent.locks.ReentrantLock", "java.util.concurrent.locks.ReentrantReadWriteLock",
            "java.util.concurrent.locks.AbstractQueuedSynchronizer", "io.jlockdep.resv.ReservationLock",
            "io.jlockdep.resv.WwAcquireContext");

    /** The largest spec file read (the built-in one is 7 KB). */
    static final long MAX_SPEC_BYTES = 1 << 20;

    /** The built-in specification, inside the agent jar. */
    public static final String BUILTIN_SPEC = "io/jlockdep/agent/spec/dma-buf.lockspec";

    /** Package prefixes whose monitors are not tracked: frameworks around the user's code, not in it. */
    static final List<String> NOT_MONITORED = List.of("io.jlockdep.agent.", "io.jlockdep.shaded.", "io.jlockdep.resv.",
            "org.junit.", "org.opentest4j.", "org.apiguardian.", "org.apache.maven.", "org.slf4j.", "ch.qos.logback.",
            "org.apache.logging.log4j.");

    private static volatile Installed installed;

    /**
     * Where Byte Buddy reads the advice classes' bytes: the agent jar, which the JVM puts on the
     * system class path (the boot loader, which defines them, does not serve class files).
     */
    private static final ClassFileLocator ADVICE_CLASSES = ClassFileLocator.ForClassLoader.ofSystemLoader();

    private static Advice advice(Class<?> adviceClass) {
        return Advice.to(adviceClass, ADVICE_CLASSES);
    }

    private AgentInstaller() {
    }

    /** What a running agent consists of. */
    public record Installed(AgentOptions options, Lockdep engine, AgentSink sink, List<LockSpec> specs) {
    }

    /** The running agent, or null. */
    public static Installed installed() {
        return installed;
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
        List<LockSpec> specs = loadSpecs(options.specs());
        if (options.log() == LogOutput.Mode.SLF4J && !LogOutput.slf4jPresent()) {
            throw new IllegalArgumentException("option log=slf4j, but org.slf4j.LoggerFactory is not on the class path");
        }
        LogOutput log = new LogOutput(options.log(), System.err);
        JsonReport report = options.report() == null ? null
                : new JsonReport(options.report(), options.reportAsGiven(), options.failFast() ? "fail" : "warn");
        if (report != null) {
            report.removeStaleTemporaries();
        }
        AgentSink sink = new AgentSink(log, report);
        Lockdep engine = new Lockdep(LockdepConfig.builder()
                .skippedFrames(SKIPPED_FRAMES)
                .failFast(options.failFast())
                .gateLocks(options.gates())
                .instanceNamer(Hooks::instanceName)
                .build(), sink);
        sink.attach(engine);
        sink.writeFirstReport(); // a report path that cannot be written stops the JVM here, like any bad option

        List<Hooks.Entry> entries = new ArrayList<>();
        Map<String, List<SpecMethod>> apiByClass = new LinkedHashMap<>();
        Map<String, List<SpecMethod>> callbacksByType = new LinkedHashMap<>();
        for (LockSpec spec : specs) {
            for (LockSpec.Rule rule : spec.rules()) {
                for (LockSpec.Entry entry : rule.entries()) {
                    ApiRule apiRule = spec.apiRule(rule, entry);
                    int index = entries.size();
                    entries.add(new Hooks.Entry(apiRule, entry.lock()));
                    SpecMethod m = new SpecMethod(index, spec, entry, apiRule.kind() == ApiRule.Kind.CALLBACK_LOCKED
                            || apiRule.kind() == ApiRule.Kind.CALLBACK_UNLOCKED);
                    (m.callback ? callbacksByType : apiByClass).computeIfAbsent(entry.className(), k -> new ArrayList<>()).add(m);
                }
            }
        }
        // Lock paths never call application code: record, as classes load, which of the methods a
        // path names are plain field getters (read as fields), before any of those classes loads.
        Set<String> pathMethods = new java.util.HashSet<>();
        for (Hooks.Entry entry : entries) {
            LockPath path = entry.lock.path();
            for (int i = 0; i < path.steps().size(); i++) {
                if (path.isMethod().get(i)) {
                    pathMethods.add(path.steps().get(i));
                }
            }
        }
        GetterIndex getters = new GetterIndex(pathMethods);
        GetterIndex.install(getters);
        inst.addTransformer(getters, true);
        Hooks.install(engine, entries);
        SemaphoreHooks.enabled = options.semaphores();
        Hooks.startedWithJvm = atStartup;
        try {
            inst.redefineModule(ReentrantLock.class.getModule(), Set.of(), Map.of(),
                    Map.of("java.util.concurrent.locks", Set.of(AgentInstaller.class.getModule())), Set.of(), Map.of());
            Hooks.initSyncAccess();
        } catch (ReflectiveOperationException | RuntimeException e) {
            log.warn("jlockdep: cannot read java.util.concurrent.locks internals (" + e
                    + "); spec rules about a ReentrantLock are not checked");
        }

        // Byte Buddy skips synthetic methods by default; lambda bodies are synthetic and take locks.
        // Start-up: no type validation, and method graphs of declared methods only (advice never
        // needs inherited ones), as agents that care for start-up time do.
        AgentBuilder builder = new AgentBuilder.Default(new ByteBuddy()
                .with(net.bytebuddy.dynamic.scaffold.TypeValidation.DISABLED)
                .with(net.bytebuddy.dynamic.scaffold.MethodGraph.Compiler.ForDeclaredMethods.INSTANCE)
                .ignore(isDefaultFinalizer()))
                .disableClassFormatChanges()
                .with(AgentBuilder.TypeStrategy.Default.DECORATE)
                .with(AgentBuilder.DescriptionStrategy.Default.POOL_FIRST)
                .with(AgentBuilder.RedefinitionStrategy.RETRANSFORMATION)
                .with(atStartup ? new AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.Explicit(
                        loadedTargets(inst, apiByClass.keySet(), engine))
                        : AgentBuilder.RedefinitionStrategy.DiscoveryStrategy.SinglePass.INSTANCE)
                // One type pool cache per class loader: super types (callback rules) are parsed once.
                .with(new AgentBuilder.PoolStrategy.WithTypePoolCache.Simple(new ConcurrentHashMap<>()))
                .with(AgentBuilder.InitializationStrategy.NoOp.INSTANCE)
                .with(new Listener(engine))
                .ignore(nameStartsWith("io.jlockdep.agent.").or(nameStartsWith("io.jlockdep.shaded."))
                        .or(nameStartsWith("net.bytebuddy.")).or(isSynthetic()));

        builder = jdkLocks(builder);
        builder = reservationLocks(builder);
        for (Map.Entry<String, List<SpecMethod>> e : apiByClass.entrySet()) {
            builder = builder.type(named(e.getKey())).transform(new SpecTransformer(e.getValue(), log));
        }
        for (Map.Entry<String, List<SpecMethod>> e : callbacksByType.entrySet()) {
            builder = builder.type(hasSuperType(named(e.getKey())), not(isBootstrapClassLoader()))
                    .transform(new SpecTransformer(e.getValue(), log));
        }
        // synchronized methods: Byte Buddy advice (their exceptional exits need its frames);
        // synchronized blocks and Object.wait: plain ASM, only in classes that have them.
        builder = builder.type(AgentInstaller::monitored, not(isBootstrapClassLoader()).and(not(isExtensionClassLoader())))
                .transform((b, type, loader, module, domain) -> b
                        .visit(advice(JdkLockAdvice.SynchronizedMethod.class)
                                .on(isSynchronized().and(not(isAbstract())).and(not(isNative())))));
        inst.addTransformer(new MonitorTransformer(), true);
        builder.installOn(inst);
        if (!atStartup) {
            MonitorTransformer.retransformLoaded(inst);
        } else {
            MonitorTransformer.retransformSynchronizedWrappers(inst);
        }

        if (options.watchdogMillis() > 0) {
            Watchdog.start(engine, options.watchdogMillis());
        }
        if (options.jmx()) {
            try {
                io.jlockdep.agent.report.LockdepControl.register(engine, sink, log);
            } catch (javax.management.JMException | RuntimeException e) {
                log.warn("jlockdep: cannot register the MBean " + io.jlockdep.agent.report.LockdepControl.NAME + ": " + e);
            }
        }
        Installed result = new Installed(options, engine, sink, specs);
        installed = result;
        io.jlockdep.agent.Jlockdep.started(engine, options.failFast());
        Thread writer = new Thread(() -> sink.writeLastReport(options.failFast()), "jlockdep-report");
        Runtime.getRuntime().addShutdownHook(writer);
        return result;
    }

    /**
     * The classes to retransform at start-up: the JDK lock classes the agent instruments, and the
     * classes of spec rules that the JVM loaded before premain (a rule on {@code java.util.ArrayList}
     * must be checked like any other). A rule's class that cannot be retransformed is named in a
     * notice, never silently unchecked.
     */
    private static Class<?>[] loadedTargets(Instrumentation inst, Set<String> specClasses, Lockdep engine) {
        List<Class<?>> targets = new ArrayList<>(List.of(loadedJdkTargets()));
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

    /** The JDK classes the agent instruments that the JVM has loaded before premain. */
    private static Class<?>[] loadedJdkTargets() {
        List<Class<?>> targets = new ArrayList<>();
        for (String name : List.of("java.util.concurrent.locks.ReentrantLock", "java.util.concurrent.locks.StampedLock",
                "java.util.concurrent.ConcurrentHashMap",
                "java.util.concurrent.Semaphore",
                "java.util.concurrent.locks.ReentrantReadWriteLock",
                "java.util.concurrent.locks.ReentrantReadWriteLock$ReadLock",
                "java.util.concurrent.locks.ReentrantReadWriteLock$WriteLock",
                "java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject", "java.lang.Thread",
                "java.lang.VirtualThread")) {
            try {
                targets.add(Class.forName(name, false, null));
            } catch (ClassNotFoundException e) {
                // VirtualThread before Java 21
            }
        }
        return targets.toArray(new Class<?>[0]);
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
        if (name.startsWith("java.") || name.startsWith("javax.") || name.startsWith("jdk.") || name.startsWith("sun.")
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

    // ---------------------------------------------------------------------------- specs

    /** The built-in spec, then the user's; spec names must be unique (they prefix rule IDs). */
    static List<LockSpec> loadSpecs(List<Path> userSpecs) {
        List<LockSpec> specs = new ArrayList<>();
        try (InputStream in = AgentInstaller.class.getClassLoader() == null
                ? ClassLoader.getSystemResourceAsStream(BUILTIN_SPEC)
                : AgentInstaller.class.getClassLoader().getResourceAsStream(BUILTIN_SPEC)) {
            if (in == null) {
                throw new IllegalStateException("the built-in spec " + BUILTIN_SPEC + " is missing from the agent jar");
            }
            specs.add(SpecParser.parseResource("dma-buf.lockspec", in));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the built-in spec " + BUILTIN_SPEC, e);
        }
        Map<String, String> sources = new HashMap<>();
        sources.put(specs.get(0).name(), "the built-in " + specs.get(0).source());
        for (Path file : userSpecs) {
            LockSpec spec;
            String shown = Echo.quote(file.toAbsolutePath().toString());
            try {
                // Read only what a spec can be: a regular file of bounded size (not /dev/zero, a FIFO
                // that would block the JVM before main, or gigabytes read into the heap at start).
                if (!Files.exists(file)) {
                    throw new IllegalArgumentException("option 'spec': no such file " + shown);
                }
                if (!Files.isRegularFile(file)) {
                    throw new IllegalArgumentException("option 'spec': " + shown + " is not a regular file"
                            + (Files.isDirectory(file) ? " (a directory)" : " (a device, pipe or socket)"));
                }
                long size = Files.size(file);
                if (size > MAX_SPEC_BYTES) {
                    throw new IllegalArgumentException("option 'spec': " + shown + " is " + size
                            + " bytes; a spec file may be at most " + MAX_SPEC_BYTES + " bytes");
                }
                spec = SpecParser.parse(file);
            } catch (NoSuchFileException e) {
                throw new IllegalArgumentException("option 'spec': no such file " + shown);
            } catch (java.nio.charset.CharacterCodingException e) {
                throw new IllegalArgumentException("option 'spec': " + shown + " is not UTF-8 text");
            } catch (IOException e) {
                throw new IllegalArgumentException("option 'spec': cannot read " + shown + ": " + e);
            } catch (SpecException e) {
                throw new IllegalArgumentException("malformed spec " + e.getMessage(), e);
            }
            String previous = sources.putIfAbsent(spec.name(), spec.source());
            if (previous != null) {
                throw new IllegalArgumentException("spec " + spec.source() + ": spec name '" + spec.name()
                        + "' is already used by " + previous + " (names prefix rule IDs and must be unique)");
            }
            specs.add(spec);
        }
        return specs;
    }

    /** One instrumented method of a spec rule. */
    private static final class SpecMethod {
        final int index;
        final LockSpec spec;
        final LockSpec.Entry entry;
        final boolean callback;
        final ElementMatcher<MethodDescription> matcher;
        volatile boolean warned;

        SpecMethod(int index, LockSpec spec, LockSpec.Entry entry, boolean callback) {
            this.index = index;
            this.spec = spec;
            this.entry = entry;
            this.callback = callback;
            ElementMatcher.Junction<MethodDescription> m = named(entry.methodName()).and(not(isAbstract()))
                    .and(not(isNative())).and(not(isConstructor())).and(not(isBridge()));
            if (entry.parameters() != null) {
                m = m.and(takesArguments(entry.parameters().size())).and(new ParametersNamed(entry.parameters()));
            }
            this.matcher = m;
        }

        String where() {
            return spec.source() + ":" + entry.line();
        }
    }

    /** Matches a method whose parameter types are named (simple or qualified) as the spec says. */
    private static final class ParametersNamed extends ElementMatcher.Junction.AbstractBase<MethodDescription> {
        private final List<String> names;

        ParametersNamed(List<String> names) {
            this.names = names;
        }

        @Override
        public boolean matches(MethodDescription target) {
            List<TypeDescription> types = target.getParameters().asTypeList().asErasures();
            for (int i = 0; i < names.size(); i++) {
                String want = names.get(i);
                TypeDescription have = types.get(i);
                if (!want.equals(have.getName()) && !want.equals(have.getSimpleName()) && !want.equals(have.getActualName())) {
                    return false;
                }
            }
            return true;
        }
    }

    /** Applies a class's spec methods as advice, each with its entry index bound as a constant. */
    private static final class SpecTransformer implements AgentBuilder.Transformer {
        private final List<SpecMethod> methods;
        private final LogOutput log;

        SpecTransformer(List<SpecMethod> methods, LogOutput log) {
            this.methods = methods;
            this.log = log;
        }

        @Override
        public DynamicType.Builder<?> transform(DynamicType.Builder<?> builder, TypeDescription type, ClassLoader loader,
                JavaModule module, java.security.ProtectionDomain domain) {
            for (SpecMethod m : methods) {
                List<MethodDescription.InDefinedShape> declared = type.getDeclaredMethods().filter(m.matcher);
                if (declared.isEmpty()) {
                    if (!m.callback) {
                        warnOnce(m, "spec " + m.where() + ": " + type.getName() + "#" + m.entry.methodName()
                                + (m.entry.parameters() == null ? "" : "(" + String.join(", ", m.entry.parameters()) + ")")
                                + " " + whyNoBody(type, m) + "; " + m.entry.function() + " is not checked");
                    }
                    continue;
                }
                String bad = null;
                for (MethodDescription md : declared) {
                    bad = bad != null ? bad : checkPath(md, m.entry.lock());
                }
                if (bad != null) {
                    warnOnce(m, "spec " + m.where() + ": lock path " + m.entry.lock() + " on " + type.getName() + "#"
                            + m.entry.methodName() + ": " + bad + "; " + m.entry.function() + " is not checked");
                    continue;
                }
                builder = builder.visit(Advice.withCustomMapping().bind(EntryIndex.class, m.index)
                        .to(ApiAdvice.forRoot(m.entry.lock().root()), ADVICE_CLASSES).on(m.matcher));
            }
            return builder;
        }

        /** Why a spec method has nothing to instrument in {@code type}: missing, native or abstract. */
        private static String whyNoBody(TypeDescription type, SpecMethod m) {
            for (MethodDescription md : type.getDeclaredMethods().filter(named(m.entry.methodName()))) {
                if (md.isNative()) {
                    return "is native: it has no bytecode to check";
                }
                if (md.isAbstract()) {
                    return "is abstract: it has no body to check (name the implementing class, or write a callback"
                            + " rule, which checks every implementation)";
                }
            }
            return "does not exist";
        }

        private void warnOnce(SpecMethod m, String message) {
            if (!m.warned) {
                m.warned = true;
                log.warn("jlockdep: " + message);
            }
        }
    }

    /**
     * Checks a lock path against a method's declared types: the root exists and each step is a
     * no-argument method or a field of the type before it. Returns what is wrong, or null.
     */
    static String checkPath(MethodDescription method, LockPath path) {
        TypeDefinition type;
        if (path.root() == LockPath.THIS) {
            if (method.isStatic()) {
                return "'this' in a static method";
            }
            type = method.getDeclaringType();
        } else if (path.root() == LockPath.RETURN) {
            if (method.getReturnType().represents(void.class)) {
                return "'return' of a void method";
            }
            type = method.getReturnType();
        } else {
            if (path.root() >= method.getParameters().size()) {
                return "arg" + path.root() + " but the method takes " + method.getParameters().size() + " argument(s)";
            }
            if (path.root() > 3) {
                return "arg" + path.root() + ": lock paths can start at arg0 to arg3";
            }
            type = method.getParameters().get(path.root()).getType();
        }
        for (int i = 0; i < path.steps().size(); i++) {
            String step = path.steps().get(i);
            if (type.isPrimitive() || type.isArray()) {
                return type.getTypeName() + " has no member " + step;
            }
            TypeDefinition next = path.isMethod().get(i) ? methodType(type, step) : fieldType(type, step);
            if (next == null) {
                return type.getTypeName() + " has no " + (path.isMethod().get(i) ? "no-argument method " + step + "()"
                        : "field " + step);
            }
            type = next;
        }
        if (type.isPrimitive()) {
            return "it ends at a " + type.getTypeName() + ", not a lock";
        }
        return null;
    }

    private static TypeDefinition methodType(TypeDefinition type, String name) {
        for (TypeDefinition t = type; t != null; t = t.getSuperClass()) {
            for (MethodDescription m : t.getDeclaredMethods()) {
                if (m.getName().equals(name) && m.getParameters().isEmpty() && !m.isStatic()
                        && !m.getReturnType().represents(void.class)) {
                    return m.getReturnType();
                }
            }
            for (TypeDescription.Generic itf : t.getInterfaces()) {
                TypeDefinition found = methodType(itf, name);
                if (found != null) {
                    return found;
                }
            }
        }
        return null;
    }

    private static TypeDefinition fieldType(TypeDefinition type, String name) {
        for (TypeDefinition t = type; t != null; t = t.getSuperClass()) {
            for (var f : t.getDeclaredFields()) {
                if (f.getName().equals(name) && !f.isStatic()) {
                    return f.getType();
                }
            }
        }
        return null;
    }

    // ---------------------------------------------------------------------------- locks

    private static AgentBuilder jdkLocks(AgentBuilder builder) {
        return builder
                .type(named("java.util.concurrent.locks.ReentrantLock"))
                .transform((b, type, loader, module, domain) -> b
                        .visit(lockAdvice(JdkLockAdvice.Created.class, LockMode.MUTEX).on(isConstructor()))
                        .visit(lockAdvices(LockMode.MUTEX)))
                .type(named("java.util.concurrent.locks.ReentrantReadWriteLock"))
                .transform((b, type, loader, module, domain) -> b
                        .visit(lockAdvice(JdkLockAdvice.Created.class, LockMode.RW_WRITE).on(isConstructor())))
                .type(named("java.util.concurrent.locks.ReentrantReadWriteLock$ReadLock"))
                .transform((b, type, loader, module, domain) -> b.visit(lockAdvices(LockMode.RW_READ)))
                .type(named("java.util.concurrent.locks.ReentrantReadWriteLock$WriteLock"))
                .transform((b, type, loader, module, domain) -> b.visit(lockAdvices(LockMode.RW_WRITE)))
                .type(named("java.util.concurrent.locks.AbstractQueuedSynchronizer$ConditionObject"))
                .transform((b, type, loader, module, domain) -> b.visit(advice(JdkLockAdvice.Await.class)
                        .on(namedOneOf("await", "awaitUninterruptibly", "awaitNanos", "awaitUntil"))))
                .type(named("java.util.concurrent.ConcurrentHashMap"))
                .transform((b, type, loader, module, domain) -> b
                        .visit(advice(JdkLockAdvice.MapCreated.class).on(isConstructor()))
                        .visit(advice(JdkLockAdvice.MapCompute.class)
                                .on(namedOneOf("compute", "computeIfAbsent", "computeIfPresent", "merge"))))
                .type(named("java.util.concurrent.locks.StampedLock"))
                .transform((b, type, loader, module, domain) -> b
                        .visit(advice(StampedAdvice.Created.class).on(isConstructor()))
                        .visit(lockAdvice(StampedAdvice.Lock.class, LockMode.RW_WRITE)
                                .on(namedOneOf("writeLock", "writeLockInterruptibly").and(takesArguments(0))))
                        .visit(lockAdvice(StampedAdvice.Lock.class, LockMode.RW_READ)
                                .on(namedOneOf("readLock", "readLockInterruptibly").and(takesArguments(0))))
                        .visit(lockAdvice(StampedAdvice.TryStamp.class, LockMode.RW_WRITE).on(named("tryWriteLock")))
                        .visit(lockAdvice(StampedAdvice.TryStamp.class, LockMode.RW_READ).on(named("tryReadLock")))
                        .visit(lockAdvice(StampedAdvice.Unlock.class, LockMode.RW_WRITE)
                                .on(namedOneOf("unlockWrite", "unstampedUnlockWrite")))
                        .visit(lockAdvice(StampedAdvice.Unlock.class, LockMode.RW_READ)
                                .on(namedOneOf("unlockRead", "unstampedUnlockRead")))
                        .visit(lockAdvice(StampedAdvice.TryUnlock.class, LockMode.RW_WRITE).on(named("tryUnlockWrite")))
                        .visit(lockAdvice(StampedAdvice.TryUnlock.class, LockMode.RW_READ).on(named("tryUnlockRead")))
                        .visit(lockAdvice(StampedAdvice.Convert.class, LockMode.RW_WRITE).on(named("tryConvertToWriteLock")))
                        .visit(lockAdvice(StampedAdvice.Convert.class, LockMode.RW_READ).on(named("tryConvertToReadLock")))
                        .visit(lockAdvice(StampedAdvice.Convert.class, LockMode.OPTIMISTIC)
                                .on(named("tryConvertToOptimisticRead"))))
                .type(named("java.util.concurrent.Semaphore"))
                .transform((b, type, loader, module, domain) -> b
                        .visit(advice(SemaphoreAdvice.Created.class).on(isConstructor()))
                        .visit(advice(SemaphoreAdvice.Acquire.class)
                                .on(namedOneOf("acquire", "acquireUninterruptibly").and(takesArguments(0))))
                        .visit(advice(SemaphoreAdvice.TryAcquire.class)
                                .on(named("tryAcquire").and(takesArguments(0).or(takesArguments(long.class,
                                        java.util.concurrent.TimeUnit.class)))))
                        .visit(advice(SemaphoreAdvice.Release.class).on(named("release").and(takesArguments(0)))))
                .type(named("java.lang.Thread"))
                .transform((b, type, loader, module, domain) -> b.visit(advice(JdkLockAdvice.PlatformThreadEnd.class)
                        .on(named("exit").and(takesArguments(0)))))
                .type(named("java.lang.VirtualThread"))
                .transform((b, type, loader, module, domain) -> b.visit(advice(JdkLockAdvice.VirtualThreadEnd.class)
                        .on(named("run").and(takesArguments(Runnable.class)))));
    }

    private static Advice lockAdvice(Class<?> advice, int mode) {
        return Advice.withCustomMapping().bind(LockMode.class, mode).to(advice, ADVICE_CLASSES);
    }

    private static AsmVisitorWrapper lockAdvices(int mode) {
        return new AsmVisitorWrapper.Compound(
                lockAdvice(JdkLockAdvice.Lock.class, mode).on(namedOneOf("lock", "lockInterruptibly").and(takesArguments(0))),
                lockAdvice(JdkLockAdvice.TryLock.class, mode).on(named("tryLock")),
                lockAdvice(JdkLockAdvice.Unlock.class, mode).on(named("unlock").and(takesArguments(0))));
    }

    private static AgentBuilder reservationLocks(AgentBuilder builder) {
        return builder
                .type(named("io.jlockdep.resv.ReservationLock"))
                .transform((b, type, loader, module, domain) -> b
                        .visit(advice(WwAdvice.Lock.class)
                                .on(namedOneOf("lock", "lockInterruptible").and(takesArguments(1))))
                        .visit(advice(WwAdvice.PlainLock.class)
                                .on(namedOneOf("lock", "lockInterruptible").and(takesArguments(0))))
                        .visit(advice(WwAdvice.LockSlow.class).on(namedOneOf("lockSlow", "lockSlowInterruptible")))
                        .visit(advice(WwAdvice.TryLock.class).on(named("tryLock").and(takesArguments(1))))
                        .visit(advice(WwAdvice.PlainTryLock.class).on(named("tryLock").and(takesArguments(0))))
                        .visit(advice(WwAdvice.Unlock.class).on(named("unlock").and(takesArguments(0)))))
                .type(named("io.jlockdep.resv.WwAcquireContext"))
                .transform((b, type, loader, module, domain) -> b
                        .visit(advice(WwAdvice.Init.class).on(named("init").and(takesArguments(1))))
                        .visit(advice(WwAdvice.Done.class).on(named("done")))
                        .visit(advice(WwAdvice.Fini.class).on(named("fini"))));
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
            return name.contains("$$") || name.contains("$Proxy") || name.contains("CGLIB") || name.contains("$ByteBuddy$")
                    || name.contains("$HibernateProxy$");
        }
    }
}
