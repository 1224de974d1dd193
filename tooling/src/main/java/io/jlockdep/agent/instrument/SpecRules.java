package io.jlockdep.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.hasSuperType;
import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.isBootstrapClassLoader;
import static net.bytebuddy.matcher.ElementMatchers.isBridge;
import static net.bytebuddy.matcher.ElementMatchers.isConstructor;
import static net.bytebuddy.matcher.ElementMatchers.isNative;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.jlockdep.agent.engine.ApiRule;
import io.jlockdep.agent.hook.EntryIndex;
import io.jlockdep.agent.hook.Getters;
import io.jlockdep.agent.hook.Hooks;
import io.jlockdep.agent.report.LogOutput;
import io.jlockdep.agent.spec.LockPath;
import io.jlockdep.agent.spec.LockSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDefinition;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.matcher.ElementMatcher;
import net.bytebuddy.utility.JavaModule;

/**
 * The locking specifications' rules: each method a rule names gets {@link ApiAdvice}, which calls
 * {@code Hooks.apiEnter}/{@code apiExit} with the rule's index; for callback rules, every
 * non-abstract implementation in a class that implements the named interface. A method that
 * does not exist, is native or abstract, or whose lock path does not fit its types is named in
 * a warning, once, and not checked.
 */
final class SpecRules implements LockFamily {

    private final List<Hooks.Entry> entries = new ArrayList<>();
    private final Map<String, List<SpecMethod>> apiByClass = new LinkedHashMap<>();
    private final Map<String, List<SpecMethod>> callbacksByType = new LinkedHashMap<>();
    private final LogOutput log;

    SpecRules(List<LockSpec> specs, Getters getters, LogOutput log) {
        this.log = log;
        for (LockSpec spec : specs) {
            for (LockSpec.Rule rule : spec.rules()) {
                for (LockSpec.Entry entry : rule.entries()) {
                    ApiRule apiRule = spec.apiRule(rule, entry);
                    int index = entries.size();
                    entries.add(new Hooks.Entry(apiRule, entry.lock(), getters));
                    SpecMethod m = new SpecMethod(
                            index,
                            spec,
                            entry,
                            apiRule.kind() == ApiRule.Kind.CALLBACK_LOCKED
                                    || apiRule.kind() == ApiRule.Kind.CALLBACK_UNLOCKED);
                    (m.callback ? callbacksByType : apiByClass)
                            .computeIfAbsent(entry.className(), k -> new ArrayList<>())
                            .add(m);
                }
            }
        }
    }

    /** The methods the specs' lock paths call: {@link GetterIndex} reads their bodies as classes load. */
    static Set<String> pathMethods(List<LockSpec> specs) {
        Set<String> names = new HashSet<>();
        for (LockSpec spec : specs) {
            for (LockSpec.Rule rule : spec.rules()) {
                for (LockSpec.Entry entry : rule.entries()) {
                    LockPath path = entry.lock();
                    for (int i = 0; i < path.steps().size(); i++) {
                        if (path.isMethod().get(i)) {
                            names.add(path.steps().get(i));
                        }
                    }
                }
            }
        }
        return names;
    }

    /** The hooks' entries, indexed as the advice binds them. */
    List<Hooks.Entry> entries() {
        return entries;
    }

    /** The classes whose own methods rules name (retransformed at start-up when already loaded). */
    Set<String> ruleClasses() {
        return apiByClass.keySet();
    }

    @Override
    public AgentBuilder instrument(AgentBuilder builder) {
        for (Map.Entry<String, List<SpecMethod>> e : apiByClass.entrySet()) {
            builder = builder.type(named(e.getKey())).transform(new SpecTransformer(e.getValue(), log));
        }
        for (Map.Entry<String, List<SpecMethod>> e : callbacksByType.entrySet()) {
            builder = builder.type(hasSuperType(named(e.getKey())), not(isBootstrapClassLoader()))
                    .transform(new SpecTransformer(e.getValue(), log));
        }
        return builder;
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
            ElementMatcher.Junction<MethodDescription> m = named(entry.methodName())
                    .and(not(isAbstract()))
                    .and(not(isNative()))
                    .and(not(isConstructor()))
                    .and(not(isBridge()));
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
                if (!want.equals(have.getName())
                        && !want.equals(have.getSimpleName())
                        && !want.equals(have.getActualName())) {
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
        public DynamicType.Builder<?> transform(
                DynamicType.Builder<?> builder,
                TypeDescription type,
                ClassLoader loader,
                JavaModule module,
                java.security.ProtectionDomain domain) {
            for (SpecMethod m : methods) {
                List<MethodDescription.InDefinedShape> declared =
                        type.getDeclaredMethods().filter(m.matcher);
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
                builder = builder.visit(Advice.withCustomMapping()
                        .bind(EntryIndex.class, m.index)
                        .to(ApiAdvice.forRoot(m.entry.lock().root()), Advices.locator())
                        .on(m.matcher));
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
