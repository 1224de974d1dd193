package io.jlockdep.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isNative;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.jlockdep.agent.hook.EntryIndex;
import io.jlockdep.agent.spec.LockPath;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.ClassFileLocator;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.scaffold.MethodGraph;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.pool.TypePool;

/**
 * Byte Buddy's part of the spec rules: it resolves a rule's class with a type pool, matches the
 * rule's methods, checks each lock path against the declared types, and inlines {@link ApiAdvice}
 * (the class is decorated: no member added). Made by {@link SpecRules} the first time a class a rule
 * is about loads, so a JVM that never loads one never loads Byte Buddy (start-up time).
 */
final class SpecWeaver {

    /** Where Byte Buddy reads {@link ApiAdvice}'s bytes: the agent's own loader, which serves its class files. */
    private static final ClassFileLocator ADVICE_CLASSES = SpecWeaver.class.getClassLoader() == null
            ? ClassFileLocator.ForClassLoader.ofSystemLoader()
            : ClassFileLocator.ForClassLoader.of(SpecWeaver.class.getClassLoader());

    private final Notices notices;
    private final ByteBuddy byteBuddy;
    /** One type pool cache per class loader: super types (callback rules) are parsed once. */
    private final Map<ClassLoader, TypePool.CacheProvider> pools = new WeakHashMap<>();

    private final Map<SpecMethod, ElementMatcher<MethodDescription>> matchers = new ConcurrentHashMap<>();

    SpecWeaver(Notices notices) {
        this.notices = notices;
        safeMode();
        // Start-up: no type validation, and method graphs of declared methods only (advice never
        // needs inherited ones), as agents that care for start-up time do.
        this.byteBuddy =
                new ByteBuddy().with(TypeValidation.DISABLED).with(MethodGraph.Compiler.ForDeclaredMethods.INSTANCE);
    }

    /**
     * Byte Buddy's "safe" mode: no sun.misc.Unsafe, so JDK 24+ prints no deprecation warning. (The
     * key is derived from the relocated package, so the shaded copy reads it.) The property is read
     * once, when Byte Buddy's class injectors initialise: they are made to initialise here, and the
     * property is removed again at once.
     */
    private static void safeMode() {
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
    }

    /** The class file with the methods' advice, or null when none of them could be instrumented. */
    byte[] weave(ClassLoader loader, String name, byte[] bytes, List<SpecMethod> methods) {
        ClassFileLocator locator = new ClassFileLocator.Compound(
                ClassFileLocator.Simple.of(name, bytes),
                loader == null
                        ? ClassFileLocator.ForClassLoader.ofBootLoader()
                        : ClassFileLocator.ForClassLoader.of(loader));
        TypePool pool =
                new TypePool.Default.WithLazyResolution(cache(loader), locator, TypePool.Default.ReaderMode.FAST);
        TypeDescription type = pool.describe(name).resolve();
        DynamicType.Builder<?> builder = byteBuddy.decorate(type, locator);
        boolean any = false;
        for (SpecMethod m : methods) {
            List<MethodDescription.InDefinedShape> declared =
                    type.getDeclaredMethods().filter(matcher(m));
            if (declared.isEmpty()) {
                if (!m.callback) {
                    warnOnce(
                            m,
                            "spec " + m.where() + ": " + type.getName() + "#" + m.entry.methodName()
                                    + (m.entry.parameters() == null
                                            ? ""
                                            : "(" + String.join(", ", m.entry.parameters()) + ")")
                                    + " " + whyNoBody(type, m) + "; " + m.entry.function() + " is not checked");
                }
                continue;
            }
            String bad = null;
            for (MethodDescription md : declared) {
                bad = bad != null ? bad : checkPath(md, m.entry.lock());
            }
            if (bad != null) {
                warnOnce(
                        m,
                        "spec " + m.where() + ": lock path " + m.entry.lock() + " on " + type.getName() + "#"
                                + m.entry.methodName() + ": " + bad + "; " + m.entry.function()
                                + " is not checked");
                continue;
            }
            any = true;
            builder = builder.visit(Advice.withCustomMapping()
                    .bind(EntryIndex.class, m.index)
                    .to(ApiAdvice.forRoot(m.entry.lock().root()), ADVICE_CLASSES)
                    .on(matcher(m)));
        }
        return any ? builder.make().getBytes() : null;
    }

    private TypePool.CacheProvider cache(ClassLoader loader) {
        synchronized (pools) {
            TypePool.CacheProvider cache = pools.get(loader);
            if (cache == null) {
                cache = new TypePool.CacheProvider.Simple();
                pools.put(loader, cache);
            }
            return cache;
        }
    }

    /** The methods an entry names: by name, not abstract, native, a constructor or a bridge, with its parameters if it gives them. */
    private ElementMatcher<MethodDescription> matcher(SpecMethod m) {
        ElementMatcher<MethodDescription> known = matchers.get(m);
        if (known != null) {
            return known;
        }
        ElementMatcher.Junction<MethodDescription> matcher = named(m.entry.methodName())
                .and(not(isAbstract()))
                .and(not(isNative()))
                .and(not(isConstructor()))
                .and(not(isBridge()));
        if (m.entry.parameters() != null) {
            matcher = matcher.and(takesArguments(m.entry.parameters().size()))
                    .and(new ParametersNamed(m.entry.parameters()));
        }
        matchers.put(m, matcher);
        return matcher;
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

    /** A notice (printed once, and in the report's {@code notices[]}, with {@code log=off} too). */
    private void warnOnce(SpecMethod m, String message) {
        if (!m.warned) {
            m.warned = true;
            notices.notice(message, false);
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
                if (!want.equals(have.getName())
                        && !want.equals(have.getSimpleName())
                        && !want.equals(have.getActualName())) {
                    return false;
                }
            }
            return true;
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
                return "arg" + path.root() + " but the method takes "
                        + method.getParameters().size() + " argument(s)";
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
                return type.getTypeName() + " has no "
                        + (path.isMethod().get(i) ? "no-argument method " + step + "()" : "field " + step);
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
                if (m.getName().equals(name)
                        && m.getParameters().isEmpty()
                        && !m.isStatic()
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
}
