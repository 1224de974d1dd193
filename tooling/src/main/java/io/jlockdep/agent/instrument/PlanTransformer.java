package io.jlockdep.agent.instrument;

import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * The transformer of the lock families' classes ({@link ClassPlan}s): a class is looked up by
 * name, and only the classes a plan names are read, patched ({@link MethodPatcher}) and written,
 * with plain ASM. Every other class costs one hash lookup. A class that cannot be patched is left
 * as it was and named in the report's notices.
 *
 * <p>No lambda here: this code runs while JDK classes load, and bootstrapping a lambda there
 * can be a class circularity.
 */
final class PlanTransformer implements ClassFileTransformer {

    private final Map<String, ClassPlan> plans = new HashMap<>();
    private final Notices notices;

    PlanTransformer(List<ClassPlan> classPlans, Notices notices) {
        for (ClassPlan p : classPlans) {
            if (plans.put(p.className().replace('.', '/'), p) != null) {
                throw new IllegalArgumentException("two plans for " + p.className());
            }
        }
        this.notices = notices;
    }

    /** Whether a class (binary name) is one this transformer patches. */
    boolean patches(String className) {
        return plans.containsKey(className.replace('.', '/'));
    }

    @Override
    public byte[] transform(
            ClassLoader loader, String className, Class<?> redefined, ProtectionDomain domain, byte[] bytes) {
        ClassPlan plan = className == null ? null : plans.get(className);
        if (plan == null) {
            return null;
        }
        try {
            return patch(plan, bytes);
        } catch (RuntimeException | LinkageError e) {
            notices.uninstrumented(plan.className(), e);
            return null;
        }
    }

    /** The class file with the plan's patches applied, or null when no method matched. */
    static byte[] patch(ClassPlan plan, byte[] bytes) {
        ClassReader reader = new ClassReader(bytes);
        Map<String, Integer> maxLocals = plan.keepsEntered() ? maxLocals(reader) : Map.of();
        ClassWriter writer = new ClassWriter(reader, 0);
        Patching visitor = new Patching(writer, plan, maxLocals);
        // a kept enter result is a new local that every original frame must list: frames expanded
        reader.accept(visitor, plan.keepsEntered() ? ClassReader.EXPAND_FRAMES : 0);
        return visitor.changed ? writer.toByteArray() : null;
    }

    /** max_locals of every method, by name and descriptor. */
    private static Map<String, Integer> maxLocals(ClassReader reader) {
        Map<String, Integer> result = new HashMap<>();
        reader.accept(
                new ClassVisitor(OpenedClassReader.ASM_API) {
                    @Override
                    public MethodVisitor visitMethod(
                            int access, String name, String descriptor, String signature, String[] exceptions) {
                        String key = name + descriptor;
                        return new MethodVisitor(OpenedClassReader.ASM_API) {
                            @Override
                            public void visitMaxs(int maxStack, int locals) {
                                result.put(key, locals);
                            }
                        };
                    }
                },
                ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return result;
    }

    /** Records the class's facts and patches the planned methods. */
    private static final class Patching extends MethodPatcher.ClassFacts.Recorder {
        private final ClassPlan plan;
        private final Map<String, Integer> maxLocals;
        boolean changed;

        Patching(ClassVisitor delegate, ClassPlan plan, Map<String, Integer> maxLocals) {
            super(delegate);
            this.plan = plan;
            this.maxLocals = maxLocals;
        }

        @Override
        public MethodVisitor visitMethod(
                int access, String name, String descriptor, String signature, String[] exceptions) {
            MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
            Patch patch = plan.patchFor(access, name, descriptor);
            if (patch == null) {
                return mv;
            }
            changed = true;
            Integer locals = maxLocals.get(name + descriptor);
            return new MethodPatcher(
                    mv, facts, access, name, descriptor, patch, locals == null ? -1 : locals, plan.keepsEntered());
        }
    }
}
