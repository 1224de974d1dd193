package io.jlockdep.agent.instrument;

import io.jlockdep.agent.engine.ApiRule;
import io.jlockdep.agent.hook.Getters;
import io.jlockdep.agent.hook.Hooks;
import io.jlockdep.agent.spec.LockPath;
import io.jlockdep.agent.spec.LockSpec;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * The locking specifications' rules: each method a rule names gets {@link ApiAdvice}, which calls
 * {@code Hooks.apiEnter}/{@code apiExit} with the rule's index; for callback rules, every
 * non-abstract implementation in a class that implements the named interface. A method that
 * does not exist, is native or abstract, or whose lock path does not fit its types is named in
 * a warning, once, and not checked.
 *
 * <p>This class decides, without Byte Buddy, whether a loading class is one a rule is about: by
 * name, or by its super types ({@link SuperTypes}) for callback rules. Only such a class goes to
 * {@link SpecWeaver}, made (and Byte Buddy loaded) the first time one does.
 */
final class SpecRules implements LockFamily, ClassFileTransformer {

    private final List<Hooks.Entry> entries = new ArrayList<>();
    private final Map<String, List<SpecMethod>> apiByClass = new LinkedHashMap<>();
    private final Map<String, List<SpecMethod>> callbacksByType = new LinkedHashMap<>();
    private final List<List<SpecMethod>> callbacksByBit = new ArrayList<>();
    private final SuperTypes superTypes;
    /** The callback interfaces as a descriptor names them ({@code Lcom/example/Visitor;}), to filter classes by their bytes. */
    private final byte[][] callbackDescriptors;

    private final Notices notices;
    private volatile SpecWeaver weaver;

    SpecRules(List<LockSpec> specs, Getters getters, Notices notices) {
        this.notices = notices;
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
        this.superTypes = new SuperTypes(callbacksByType.keySet());
        this.callbackDescriptors = new byte[callbacksByType.size()][];
        int d = 0;
        for (String type : callbacksByType.keySet()) {
            callbackDescriptors[d++] =
                    ("L" + type.replace('.', '/') + ";").getBytes(java.nio.charset.StandardCharsets.UTF_8);
        }
        for (List<SpecMethod> methods : callbacksByType.values()) {
            callbacksByBit.add(methods);
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
    public void installed(Instrumentation inst, boolean atStartup) {
        inst.addTransformer(this, true);
    }

    @Override
    public byte[] transform(
            ClassLoader loader, String className, Class<?> redefined, ProtectionDomain domain, byte[] bytes) {
        if (className == null || ownClass(className)) {
            return null;
        }
        String name = className.replace('/', '.');
        try {
            if (!callbacksByType.isEmpty() && redefined == null) {
                noticeLambdas(name, bytes);
            }
            List<SpecMethod> methods = methodsFor(loader, name, bytes);
            return methods.isEmpty() ? null : weaver().weave(loader, name, bytes, methods);
        } catch (RuntimeException | LinkageError e) {
            notices.uninstrumented(name, e);
            return null;
        }
    }

    private static final byte[] LAMBDA_METAFACTORY =
            "java/lang/invoke/LambdaMetafactory".getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);

    /**
     * A lambda or method reference implementing a callback rule's interface cannot be checked: the
     * JVM defines it as a hidden class, which agents are not shown. Each one is a notice naming
     * where it is made, so that no callback goes unchecked in silence. Only classes whose constant
     * pool names {@code LambdaMetafactory} and a callback interface (in a descriptor) are read.
     */
    private void noticeLambdas(String className, byte[] bytes) {
        boolean namesCallback = false;
        for (byte[] d : callbackDescriptors) {
            namesCallback |= ClassFileBytes.contains(bytes, d);
        }
        if (!namesCallback || !ClassFileBytes.contains(bytes, LAMBDA_METAFACTORY)) {
            return;
        }
        ClassReader reader = new ClassReader(bytes);
        String[] source = new String[1];
        reader.accept(
                new net.bytebuddy.jar.asm.ClassVisitor(net.bytebuddy.utility.OpenedClassReader.ASM_API) {
                    @Override
                    public void visitSource(String file, String debug) {
                        source[0] = file;
                    }

                    @Override
                    public net.bytebuddy.jar.asm.MethodVisitor visitMethod(
                            int access, String method, String descriptor, String signature, String[] exceptions) {
                        return new net.bytebuddy.jar.asm.MethodVisitor(
                                net.bytebuddy.utility.OpenedClassReader.ASM_API) {
                            int line;

                            @Override
                            public void visitLineNumber(int l, net.bytebuddy.jar.asm.Label start) {
                                line = l;
                            }

                            @Override
                            public void visitInvokeDynamicInsn(
                                    String name, String desc, net.bytebuddy.jar.asm.Handle bsm, Object... args) {
                                if (!bsm.getOwner().equals("java/lang/invoke/LambdaMetafactory")) {
                                    return;
                                }
                                String type = net.bytebuddy.jar.asm.Type.getReturnType(desc)
                                        .getClassName();
                                List<SpecMethod> rules = callbacksByType.get(type);
                                if (rules == null || rules.isEmpty()) {
                                    return;
                                }
                                notices.notice(
                                        "spec " + rules.get(0).where() + ": a lambda or method reference implementing "
                                                + type + " in "
                                                + MethodPatcher.ClassFacts.location(className, method, source[0], line)
                                                + " is not checked: the JVM makes it a"
                                                + " hidden class, which agents cannot instrument (implement " + type
                                                + " in a named class to have it checked)",
                                        false);
                            }
                        };
                    }
                },
                ClassReader.SKIP_FRAMES);
    }

    /** The agent's own classes, Byte Buddy's included (loaded while a class is woven), are never rule classes. */
    private static boolean ownClass(String internalName) {
        return internalName.startsWith("io/jlockdep/agent/")
                || internalName.startsWith("io/jlockdep/api/")
                || internalName.startsWith("io/jlockdep/shaded/")
                || internalName.startsWith("net/bytebuddy/");
    }

    /** The rules' methods a class has: its own rules, and the callback rules of the types it implements. */
    private List<SpecMethod> methodsFor(ClassLoader loader, String name, byte[] bytes) {
        List<SpecMethod> own = apiByClass.get(name);
        long callbacks = loader == null || superTypes.isEmpty() ? 0 : superTypes.of(loader, bytes);
        if (callbacks == 0 || (new ClassReader(bytes).getAccess() & Opcodes.ACC_SYNTHETIC) != 0) {
            return own == null ? List.of() : own; // a synthetic class implements no callback of its own
        }
        List<SpecMethod> all = new ArrayList<>();
        if (own != null) {
            all.addAll(own);
        }
        for (int bit = 0; bit < callbacksByBit.size(); bit++) {
            if ((callbacks & (1L << bit)) != 0) {
                all.addAll(callbacksByBit.get(bit));
            }
        }
        return all;
    }

    /** Whether a class already loaded is one a rule is about (attaching to a running JVM). */
    boolean wants(Class<?> c) {
        if (apiByClass.containsKey(c.getName())) {
            return true;
        }
        if (c.getClassLoader() == null || callbacksByType.isEmpty() || c.isSynthetic()) {
            return false;
        }
        return implementsCallbackType(c);
    }

    private boolean implementsCallbackType(Class<?> c) {
        if (c == null) {
            return false;
        }
        if (callbacksByType.containsKey(c.getName()) || implementsCallbackType(c.getSuperclass())) {
            return true;
        }
        for (Class<?> itf : c.getInterfaces()) {
            if (implementsCallbackType(itf)) {
                return true;
            }
        }
        return false;
    }

    private SpecWeaver weaver() {
        SpecWeaver w = weaver;
        if (w == null) {
            synchronized (this) {
                w = weaver;
                if (w == null) {
                    w = new SpecWeaver(notices);
                    weaver = w;
                }
            }
        }
        return w;
    }
}
