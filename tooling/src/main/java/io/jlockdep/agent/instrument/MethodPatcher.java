package io.jlockdep.agent.instrument;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * Applies a {@link Patch} to one method, with plain ASM, on a class read without expanding its
 * stack map frames and written without computing any:
 *
 * <pre>
 * enter hook                        (its int result, if an exit needs it, in a new local)
 * [range] original code ... [/range] exit hook; xRETURN [range] ... [/range]
 * handler: exceptional-exit hook; athrow      (catch-all over the ranges, after the method's own handlers)
 * </pre>
 *
 * The inserted calls add no branch, so the original frames stay valid; the handler's one frame
 * declares only the locals its hook reads ({@code this}, a parameter, the kept result) and
 * {@code TOP} for the rest, which every frame in the ranges is assignable to. The ranges leave
 * out the inserted exit code, so an exit hook that throws (a violation in fail mode) is not run
 * again as an exceptional exit. No handler goes into a constructor, where {@code this} may be
 * uninitialised.
 */
final class MethodPatcher extends InstructionAware {

    /** What a patch needs to know of the instrumented class: its name, version and fields. */
    static final class ClassFacts {
        String internalName;
        /** The class file's source file attribute, or null. */
        String source;
        /** The class file's major version (49 is Java 5, 50 Java 6). */
        int major;

        final Map<String, String> fields = new HashMap<>();

        /** A class visitor that records the facts of the class it passes on, for its methods' patches. */
        abstract static class Recorder extends ClassVisitor {
            final ClassFacts facts = new ClassFacts();

            Recorder(ClassVisitor delegate) {
                super(OpenedClassReader.ASM_API, delegate);
            }

            @Override
            public void visit(
                    int version, int access, String name, String signature, String superName, String[] interfaces) {
                facts.internalName = name;
                facts.major = version & 0xFFFF;
                super.visit(version, access, name, signature, superName, interfaces);
            }

            @Override
            public void visitSource(String file, String debug) {
                facts.source = file;
                super.visitSource(file, debug);
            }

            @Override
            public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
                facts.fields.put(name, descriptor);
                return super.visitField(access, name, descriptor, signature, value);
            }
        }

        /** Where in this class's code: {@code com.example.Foo.bar(Foo.java:12)}, as a stack frame prints it. */
        String location(String method, int line) {
            return location(internalName, method, source, line);
        }

        /**
         * Where in a class's code ({@code className}, binary or internal name; {@code source}, its
         * source file or null; {@code line}, or 0), as a stack frame prints it.
         */
        static String location(String className, String method, String source, int line) {
            return className.replace('/', '.') + "." + method + "(" + (source == null ? "Unknown Source" : source)
                    + (line > 0 ? ":" + line : "") + ")";
        }

        /** The descriptor of a field the class declares. */
        String fieldDescriptor(String name) {
            String d = fields.get(name);
            if (d == null) {
                throw new IllegalStateException(internalName.replace('/', '.') + " has no field " + name);
            }
            return d;
        }
    }

    private static final int MORE_STACK = 8;

    private final ClassFacts facts;
    private final boolean isStatic;
    private final Type[] parameters;
    private final Patch patch;
    private final int enteredSlot;

    /** Whether the kept enter result is an object (a token), not an int. */
    private final boolean enteredObject;

    private final boolean expandedFrames;

    /**
     * @param originalMaxLocals the method's max_locals, when the patch keeps the enter hook's
     *     result (it goes into the next slot), else ignored
     * @param expandedFrames whether the class is read with {@code EXPAND_FRAMES}: needed when the
     *     enter hook's result is kept, because every original frame then gets the new local
     */
    MethodPatcher(
            MethodVisitor delegate,
            ClassFacts facts,
            int access,
            String name,
            String descriptor,
            Patch patch,
            int originalMaxLocals,
            boolean expandedFrames) {
        super(delegate);
        if (patch.thrown() != null && name.equals("<init>")) {
            throw new IllegalArgumentException("no exceptional-exit hook in a constructor: " + name + descriptor);
        }
        if (patch.keepsEntered() && (originalMaxLocals < 0 || !expandedFrames)) {
            throw new IllegalArgumentException(
                    "the patch of " + name + descriptor + " needs the method's max_locals and expanded frames");
        }
        this.expandedFrames = expandedFrames;
        this.facts = facts;
        this.isStatic = (access & Opcodes.ACC_STATIC) != 0;
        this.parameters = Type.getArgumentTypes(descriptor);
        this.patch = patch;
        this.enteredSlot = patch.keepsEntered() ? originalMaxLocals : -1;
        this.enteredObject = patch.enter() != null && patch.enter().returnsObject();
    }

    @Override
    public void visitCode() {
        super.visitCode();
        startPrologue();
        Hook enter = patch.enter();
        if (enter != null) {
            call(enter, -1);
            if (enteredSlot >= 0) {
                super.visitVarInsn(enteredObject ? Opcodes.ASTORE : Opcodes.ISTORE, enteredSlot);
            } else if (enter.returnsInt() || enter.returnsObject()) {
                super.visitInsn(Opcodes.POP);
            }
        }
        if (patch.thrown() != null) {
            openRange();
        }
    }

    @Override
    public void visitInsn(int opcode) {
        if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
            boolean handled = patch.thrown() != null;
            if (handled) {
                rangeHasCode(); // the return itself is original code
                closeRangeBefore(opcode);
                return;
            }
            if (patch.exit() != null) {
                call(patch.exit(), opcode);
            }
            super.visitInsn(opcode);
            return;
        }
        rangeHasCode();
        super.visitInsn(opcode);
    }

    /** Ends the protected range before a return, inserts the exit hook, returns, opens the next range. */
    private void closeRangeBefore(int returnOpcode) {
        closeRange();
        if (patch.exit() != null) {
            call(patch.exit(), returnOpcode);
        }
        super.visitInsn(returnOpcode);
        openRange();
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
        if (patch.thrown() != null) {
            closeRange();
            if (!ranges.isEmpty()) {
                Label handler = new Label();
                for (int i = 0; i < ranges.size(); i += 2) {
                    // visited after the method's own handlers: the exception table is searched in
                    // order, so this catch-all only sees what the original code lets escape
                    super.visitTryCatchBlock(ranges.get(i), ranges.get(i + 1), handler, null);
                }
                super.visitLabel(handler);
                if (facts.major >= 50) { // stack map frames since Java 6
                    Object[] locals = handlerLocals(patch.thrown());
                    super.visitFrame(
                            expandedFrames ? Opcodes.F_NEW : Opcodes.F_FULL, locals.length, locals, 1, new Object[] {
                                "java/lang/Throwable"
                            });
                }
                call(patch.thrown(), Opcodes.ATHROW);
                super.visitInsn(Opcodes.ATHROW);
            }
        }
        super.visitMaxs(maxStack + MORE_STACK, Math.max(maxLocals, enteredSlot + 1));
    }

    /**
     * An original frame: with a kept enter result, its locals gain that local (an int or a token object in the slot
     * after all the original ones), which is live from the method's start to every exit.
     */
    @Override
    public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
        if (enteredSlot < 0) {
            super.visitFrame(type, numLocal, local, numStack, stack);
            return;
        }
        Object[] locals = localsWith(local, numLocal, enteredSlot, enteredType());
        super.visitFrame(type, locals.length, locals, numStack, stack);
    }

    /**
     * An expanded frame's {@code numLocal} locals, then {@code TOP} up to {@code slot} and
     * {@code type} in it: a local of the rewrite's own, after all the original ones, live in
     * every frame.
     */
    static Object[] localsWith(Object[] local, int numLocal, int slot, Object type) {
        List<Object> locals = new ArrayList<>();
        int used = 0;
        for (int i = 0; i < numLocal; i++) {
            locals.add(local[i]);
            used += local[i] == Opcodes.LONG || local[i] == Opcodes.DOUBLE ? 2 : 1;
        }
        if (used > slot) {
            throw new IllegalStateException("a frame has locals beyond max_locals");
        }
        while (used < slot) {
            locals.add(Opcodes.TOP);
            used++;
        }
        locals.add(type);
        return locals.toArray();
    }

    /** The verifier type of the kept enter result's local. */
    private Object enteredType() {
        return enteredObject ? "java/lang/Object" : Opcodes.INTEGER;
    }

    /** The handler frame's locals: what {@code hook} reads, {@code TOP} for every other slot before it. */
    private Object[] handlerLocals(Hook hook) {
        List<Object> locals = new ArrayList<>();
        int slot = 0;
        if (!isStatic) {
            boolean self =
                    hook.uses(Hook.Arg.Kind.THIS) || hook.uses(Hook.Arg.Kind.FIELD) || hook.uses(Hook.Arg.Kind.MONITOR);
            locals.add(self ? facts.internalName : Opcodes.TOP);
            slot = 1;
        }
        int last = locals.size();
        for (int i = 0; i < parameters.length; i++) {
            Type t = parameters[i];
            if (usesArgument(hook, i)) {
                locals.add(frameType(t));
                last = locals.size();
            } else {
                locals.add(Opcodes.TOP);
                if (t.getSize() == 2) {
                    locals.add(Opcodes.TOP);
                }
            }
            slot += t.getSize();
        }
        if (hook.uses(Hook.Arg.Kind.ENTERED)) {
            while (slot < enteredSlot) {
                locals.add(Opcodes.TOP);
                slot++;
            }
            locals.add(enteredType());
            last = locals.size();
        }
        return locals.subList(0, last).toArray();
    }

    private static boolean usesArgument(Hook hook, int index) {
        for (Hook.Arg a : hook.args()) {
            if (a.kind() == Hook.Arg.Kind.ARG && a.index() == index) {
                return true;
            }
        }
        return false;
    }

    private static Object frameType(Type t) {
        switch (t.getSort()) {
            case Type.BOOLEAN:
            case Type.CHAR:
            case Type.BYTE:
            case Type.SHORT:
            case Type.INT:
                return Opcodes.INTEGER;
            case Type.FLOAT:
                return Opcodes.FLOAT;
            case Type.LONG:
                return Opcodes.LONG;
            case Type.DOUBLE:
                return Opcodes.DOUBLE;
            case Type.ARRAY:
                return t.getDescriptor();
            default:
                return t.getInternalName();
        }
    }

    /**
     * Pushes the hook's arguments and calls it. {@code valueOpcode}: the return instruction whose
     * value is on the stack, {@code ATHROW} for the throwable on the stack, -1 for none.
     */
    private void call(Hook hook, int valueOpcode) {
        for (Hook.Arg a : hook.args()) {
            switch (a.kind()) {
                case THIS -> super.visitVarInsn(Opcodes.ALOAD, 0);
                case FIELD -> {
                    super.visitVarInsn(Opcodes.ALOAD, 0);
                    super.visitFieldInsn(
                            Opcodes.GETFIELD, facts.internalName, a.field(), facts.fieldDescriptor(a.field()));
                }
                case ARG -> {
                    Type t = parameters[a.index()];
                    super.visitVarInsn(t.getOpcode(Opcodes.ILOAD), argumentSlot(a.index()));
                }
                case INT -> pushInt(mv, a.index()); // the next visitor, as super.visitInsn
                case NULL -> super.visitInsn(Opcodes.ACONST_NULL);
                case VALUE -> {
                    if (valueOpcode < 0 || valueOpcode == Opcodes.RETURN) {
                        throw new IllegalArgumentException(hook.name() + " takes a value, but there is none here");
                    }
                    boolean wide = valueOpcode == Opcodes.LRETURN || valueOpcode == Opcodes.DRETURN;
                    super.visitInsn(wide ? Opcodes.DUP2 : Opcodes.DUP);
                }
                case ENTERED -> super.visitVarInsn(enteredObject ? Opcodes.ALOAD : Opcodes.ILOAD, enteredSlot);
                case MONITOR -> {
                    if (isStatic) {
                        pushOwnClass();
                    } else {
                        super.visitVarInsn(Opcodes.ALOAD, 0);
                    }
                }
            }
        }
        super.visitMethodInsn(Opcodes.INVOKESTATIC, hook.owner(), hook.name(), hook.descriptor(), false);
    }

    private int argumentSlot(int index) {
        int slot = isStatic ? 0 : 1;
        for (int i = 0; i < index; i++) {
            slot += parameters[i].getSize();
        }
        return slot;
    }

    /** Pushes {@code value} with the shortest instruction: ICONST, BIPUSH, SIPUSH or LDC. */
    static void pushInt(MethodVisitor mv, int value) {
        if (value >= -1 && value <= 5) {
            mv.visitInsn(Opcodes.ICONST_0 + value);
        } else if (value >= Byte.MIN_VALUE && value <= Byte.MAX_VALUE) {
            mv.visitIntInsn(Opcodes.BIPUSH, value);
        } else if (value >= Short.MIN_VALUE && value <= Short.MAX_VALUE) {
            mv.visitIntInsn(Opcodes.SIPUSH, value);
        } else {
            mv.visitLdcInsn(value);
        }
    }

    /** The declaring class: a class constant, or {@code Class.forName} in class files older than Java 5. */
    private void pushOwnClass() {
        if (facts.major >= 49) { // class constants since Java 5
            super.visitLdcInsn(Type.getObjectType(facts.internalName));
        } else {
            super.visitLdcInsn(facts.internalName.replace('/', '.'));
            super.visitMethodInsn(
                    Opcodes.INVOKESTATIC, "java/lang/Class", "forName", "(Ljava/lang/String;)Ljava/lang/Class;", false);
        }
    }
}
