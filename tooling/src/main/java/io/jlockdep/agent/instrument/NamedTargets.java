package io.jlockdep.agent.instrument;

import io.jlockdep.agent.spec.LockSpec;
import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * The classes and members a user named outside any rule: the specs' {@code class} statements
 * ({@code field Owner.field}, {@code allocated-in Owner.method}) and option {@code wrappers}.
 * Each is checked when its class loads (a transformer that changes nothing; a class loaded before
 * the agent is checked by reflection at installation): a missing field or method, or a field of a
 * primitive type, is a notice naming the statement. A class never loaded is a notice at exit. A
 * name that matches nothing is otherwise silent: the lock class it assigns is never used.
 */
final class NamedTargets implements ClassFileTransformer {

    /** One named thing: {@code member} is null for a class named alone (a wrapper). */
    private record Target(String where, String className, String member, boolean field) {}

    private final Map<String, List<Target>> byClass = new HashMap<>();
    private final Set<String> seen = ConcurrentHashMap.newKeySet();
    private final Notices notices;

    NamedTargets(List<LockSpec> specs, List<String> wrappers, Notices notices) {
        this.notices = notices;
        for (LockSpec spec : specs) {
            for (LockSpec.ClassAssignment c : spec.classes()) {
                int dot = c.target().lastIndexOf('.');
                add(new Target(
                        "spec " + spec.source() + ":" + c.line() + ": class \"" + c.name() + "\" "
                                + (c.byField() ? "field " : "allocated-in ") + c.target(),
                        c.target().substring(0, dot),
                        c.target().substring(dot + 1),
                        c.byField()));
            }
        }
        for (String w : wrappers) {
            add(new Target("option wrappers: " + w, w, null, false));
        }
    }

    private void add(Target t) {
        byClass.computeIfAbsent(t.className(), k -> new ArrayList<>()).add(t);
    }

    /** Whether anything is named (else the transformer is not installed). */
    boolean any() {
        return !byClass.isEmpty();
    }

    @Override
    public byte[] transform(
            ClassLoader loader, String className, Class<?> redefined, ProtectionDomain domain, byte[] bytes) {
        if (className == null || redefined != null) {
            return null;
        }
        String name = className.replace('/', '.');
        List<Target> targets = byClass.get(name);
        if (targets == null || !seen.add(name)) {
            return null;
        }
        Map<String, String> fields = new HashMap<>();
        Set<String> methods = new java.util.HashSet<>();
        try {
            new ClassReader(bytes)
                    .accept(
                            new ClassVisitor(OpenedClassReader.ASM_API) {
                                @Override
                                public FieldVisitor visitField(
                                        int access, String n, String descriptor, String signature, Object value) {
                                    fields.put(n, descriptor);
                                    return null;
                                }

                                @Override
                                public MethodVisitor visitMethod(
                                        int access, String n, String descriptor, String signature, String[] ex) {
                                    methods.add(n);
                                    return null;
                                }
                            },
                            ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        } catch (RuntimeException e) {
            return null; // a class file ASM cannot read: its members are not checked
        }
        check(targets, fields, methods);
        return null;
    }

    /** At installation: the named classes the JVM already loaded, by reflection. */
    void checkLoaded(Instrumentation inst) {
        for (Class<?> c : inst.getAllLoadedClasses()) {
            List<Target> targets = byClass.get(c.getName());
            if (targets == null || !seen.add(c.getName())) {
                continue;
            }
            Map<String, String> fields = new HashMap<>();
            Set<String> methods = new java.util.HashSet<>();
            try {
                for (java.lang.reflect.Field f : c.getDeclaredFields()) {
                    fields.put(f.getName(), f.getType().isPrimitive() ? "I" : "L");
                }
                for (java.lang.reflect.Method m : c.getDeclaredMethods()) {
                    methods.add(m.getName());
                }
                if (c.getDeclaredConstructors().length > 0) {
                    methods.add("<init>");
                }
            } catch (LinkageError | RuntimeException e) {
                continue; // its members cannot be listed: not checked
            }
            check(targets, fields, methods);
        }
    }

    private void check(List<Target> targets, Map<String, String> fields, Set<String> methods) {
        for (Target t : targets) {
            if (t.member() == null) {
                continue;
            }
            if (t.field()) {
                String descriptor = fields.get(t.member());
                if (descriptor == null) {
                    notices.notice(
                            t.where() + ": " + t.className() + " has no field '" + t.member()
                                    + "'; the lock class is never assigned",
                            false);
                } else if (descriptor.charAt(0) != 'L' && descriptor.charAt(0) != '[') {
                    notices.notice(
                            t.where() + ": '" + t.member() + "' is a primitive field, not a lock;"
                                    + " the lock class is never assigned",
                            false);
                }
            } else if (!methods.contains(t.member())) {
                notices.notice(
                        t.where() + ": " + t.className() + " has no method '" + t.member()
                                + "'; the lock class is never assigned",
                        false);
            }
        }
    }

    /** At exit: the named classes that never loaded (a misspelt name, or a class this JVM did not use). */
    void atExit() {
        for (Map.Entry<String, List<Target>> e : byClass.entrySet()) {
            if (!seen.contains(e.getKey())) {
                for (Target t : e.getValue()) {
                    notices.notice(
                            t.where() + ": no class " + e.getKey() + " was loaded in this JVM (a misspelt name?)",
                            false);
                }
            }
        }
    }
}
