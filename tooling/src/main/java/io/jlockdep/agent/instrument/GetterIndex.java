package io.jlockdep.agent.instrument;

import io.jlockdep.agent.hook.Getters;
import java.lang.instrument.ClassFileTransformer;
import java.lang.ref.WeakReference;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * What each method a lock path calls really does, read from its class file as the class loads.
 * A spec's lock path may name a method ({@code arg0.dmabuf().resv()}), but the agent evaluates
 * paths while the application holds its locks, so it must never run application code: a
 * {@code synchronized} getter would take an application lock inside the agent (and deadlock
 * the application, or put the agent's own acquisition into the graph). So a method step is
 * evaluated only when its body is a plain field getter ({@code aload_0; getfield; [checkcast];
 * areturn}): the agent then reads that field itself and never calls the method. Any other body
 * (synchronized, calls, computations) is refused, with the reason, and the rule is not checked
 * for that class (a notice says so).
 *
 * <p>A transformer that changes nothing: it looks at every class file whose constant pool names
 * one of the spec's method steps, and records the verdict for each such no-argument method.
 */
final class GetterIndex implements ClassFileTransformer, Getters {

    private record Recorded(WeakReference<ClassLoader> loader, boolean boot, Map<String, Verdict> methods) {
        boolean definedBy(ClassLoader l) {
            return boot ? l == null : l != null && loader.get() == l;
        }
    }

    private final Set<String> names;
    private final byte[][] nameBytes;
    private final Map<String, List<Recorded>> byClass = new ConcurrentHashMap<>();

    GetterIndex(Collection<String> methodNames) {
        this.names = Set.copyOf(methodNames);
        this.nameBytes = new byte[names.size()][];
        int i = 0;
        for (String n : names) {
            nameBytes[i++] = n.getBytes(StandardCharsets.UTF_8);
        }
    }

    @Override
    public byte[] transform(
            ClassLoader loader, String className, Class<?> redefined, ProtectionDomain domain, byte[] bytes) {
        if (className == null
                || names.isEmpty()
                || className.startsWith("io/jlockdep/shaded/")
                || className.startsWith("io/jlockdep/agent/")) {
            return null; // the agent's own classes (most of what loads at start-up) are never on a lock path
        }
        try {
            if (namesAnyStep(bytes)) {
                record(loader, className.replace('/', '.'), bytes);
            }
        } catch (RuntimeException e) {
            // a class file ASM cannot read: its methods stay unknown, and are refused when a path reaches them
        }
        return null;
    }

    /** The verdict for {@code name()} declared in {@code owner}, or null when its class file was never seen. */
    @Override
    public Verdict verdict(Class<?> owner, String name) {
        List<Recorded> list = byClass.get(owner.getName());
        if (list == null) {
            return null;
        }
        ClassLoader l = owner.getClassLoader();
        for (Recorded r : list) {
            if (r.definedBy(l)) {
                return r.methods.get(name);
            }
        }
        return null;
    }

    /** Records the verdicts of a class's methods. */
    private void record(ClassLoader loader, String className, byte[] bytes) {
        Map<String, Verdict> methods = new ConcurrentHashMap<>();
        new ClassReader(bytes)
                .accept(
                        new ClassVisitor(OpenedClassReader.ASM_API) {
                            @Override
                            public MethodVisitor visitMethod(
                                    int access, String name, String descriptor, String signature, String[] exceptions) {
                                if (!names.contains(name)
                                        || !descriptor.startsWith("()")
                                        || (access & Opcodes.ACC_STATIC) != 0) {
                                    return null;
                                }
                                if ((access & Opcodes.ACC_SYNCHRONIZED) != 0) {
                                    methods.put(name, new Verdict(null, null, "it is synchronized"));
                                    return null;
                                }
                                if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
                                    return null; // an implementation elsewhere is what runs
                                }
                                return new GetterShape(name, methods, false);
                            }
                        },
                        ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        byClass.computeIfAbsent(className, k -> new CopyOnWriteArrayList<>())
                .add(new Recorded(new WeakReference<>(loader), loader == null, methods));
    }

    /**
     * The field a no-argument method returns when its body is a plain field read (as
     * {@link GetterShape} accepts, {@code getstatic; [checkcast]; areturn} too), read from its class
     * file; used for {@code @GuardedBy("getLock()")}, which must never call the application's method.
     *
     * @param owner the field reference's class (internal name)
     * @param refusal why the method is not a plain field read, or null when it is
     */
    record FieldRead(String owner, String name, String descriptor, boolean isStatic, String refusal) {}

    /** The {@link FieldRead} of {@code method} ({@code name} and descriptor) in {@code classFile}; null when it has none. */
    static FieldRead fieldRead(byte[] classFile, String name, String descriptor) {
        GetterShape[] found = new GetterShape[1];
        String[] flags = new String[1];
        new ClassReader(classFile)
                .accept(
                        new ClassVisitor(OpenedClassReader.ASM_API) {
                            @Override
                            public MethodVisitor visitMethod(
                                    int access, String n, String d, String signature, String[] exceptions) {
                                if (!n.equals(name) || !d.equals(descriptor)) {
                                    return null;
                                }
                                if ((access & Opcodes.ACC_SYNCHRONIZED) != 0) {
                                    flags[0] = "it is synchronized";
                                } else if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0) {
                                    flags[0] = "it has no body here (abstract or native)";
                                } else {
                                    found[0] = new GetterShape(n, new java.util.HashMap<>(), true);
                                    return found[0];
                                }
                                return null;
                            }
                        },
                        ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        if (flags[0] != null) {
            return new FieldRead(null, null, null, false, flags[0]);
        }
        GetterShape g = found[0];
        if (g == null) {
            return null;
        }
        return g.refusal != null
                ? new FieldRead(null, null, null, false, g.refusal)
                : new FieldRead(g.internalOwner, g.field, g.descriptor, g.isStatic, null);
    }

    /** Accepts exactly {@code aload_0; getfield; [checkcast]; areturn} (or {@code getstatic} for the first two). */
    private static final class GetterShape extends MethodVisitor {
        private final String method;
        private final Map<String, Verdict> out;
        private int step;
        private String owner;
        private String internalOwner;
        private String field;
        private String descriptor;
        private boolean isStatic;
        private String refusal;
        /** Whether {@code getstatic} may stand for {@code aload_0; getfield} (a guard's getter, not a lock path's). */
        private final boolean staticFields;

        GetterShape(String method, Map<String, Verdict> out, boolean staticFields) {
            super(OpenedClassReader.ASM_API);
            this.method = method;
            this.out = out;
            this.staticFields = staticFields;
        }

        private void other(String what) {
            if (refusal == null) {
                refusal = "it " + what + " (only a method that returns one of its object's fields is evaluated)";
            }
        }

        @Override
        public void visitVarInsn(int opcode, int var) {
            if (step == 0 && opcode == Opcodes.ALOAD && var == 0) {
                step = 1;
            } else {
                other("does more than return a field");
            }
        }

        @Override
        public void visitFieldInsn(int opcode, String fieldOwner, String name, String descriptor) {
            if ((step == 1 && opcode == Opcodes.GETFIELD)
                    || (staticFields && step == 0 && opcode == Opcodes.GETSTATIC)) {
                owner = fieldOwner.replace('/', '.');
                internalOwner = fieldOwner;
                field = name;
                this.descriptor = descriptor;
                isStatic = opcode == Opcodes.GETSTATIC;
                step = 2;
            } else {
                other("does more than return a field");
            }
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            if (step != 2 || opcode != Opcodes.CHECKCAST) {
                other("does more than return a field");
            }
        }

        @Override
        public void visitInsn(int opcode) {
            if (step == 2 && opcode == Opcodes.ARETURN) {
                step = 3;
            } else if (opcode == Opcodes.MONITORENTER) {
                other("takes a monitor");
            } else {
                other("does more than return a field");
            }
        }

        @Override
        public void visitMethodInsn(int opcode, String o, String name, String descriptor, boolean isInterface) {
            other("calls " + o.replace('/', '.') + "." + name + "()");
        }

        @Override
        public void visitInvokeDynamicInsn(
                String name, String descriptor, net.bytebuddy.jar.asm.Handle bsm, Object... args) {
            other("runs an invokedynamic");
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
            other("branches");
        }

        @Override
        public void visitIntInsn(int opcode, int operand) {
            other("does more than return a field");
        }

        @Override
        public void visitLdcInsn(Object value) {
            other("does more than return a field");
        }

        @Override
        public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
            other("branches");
        }

        @Override
        public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
            other("branches");
        }

        @Override
        public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
            other("allocates");
        }

        @Override
        public void visitIincInsn(int var, int increment) {
            other("does more than return a field");
        }

        @Override
        public void visitEnd() {
            if (refusal == null && step != 3) {
                other("does more than return a field");
            }
            out.put(method, refusal == null ? new Verdict(owner, field, null) : new Verdict(null, null, refusal));
        }
    }

    /** Whether the class file's constant pool has a UTF-8 entry equal to one of the step names. */
    private boolean namesAnyStep(byte[] b) {
        int count = ClassFileBytes.constantCount(b);
        int p = ClassFileBytes.FIRST_CONSTANT;
        for (int i = 1; i < count; i++) {
            int size = ClassFileBytes.constantSize(b, p);
            if (size < 0) {
                return true; // an unknown constant: read the class properly
            }
            if ((b[p] & 0xFF) == 1) {
                int len = size - 3;
                for (byte[] n : nameBytes) {
                    if (n.length == len && ClassFileBytes.regionEquals(b, p + 3, n)) {
                        return true;
                    }
                }
            }
            if (ClassFileBytes.wide(b, p)) {
                i++;
            }
            p += size;
        }
        return false;
    }
}
