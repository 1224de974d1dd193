package io.jlockdep.agent.instrument;

import io.jlockdep.agent.hook.CodeLocations;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * Turns a {@code synchronized} method, as its class is first defined, into a method whose body
 * takes the same monitor explicitly, so that the check runs before the thread can block on it,
 * like every other acquisition (the JVM takes a synchronized method's monitor before any bytecode
 * runs). The caller clears {@code ACC_SYNCHRONIZED}; this writes what javac writes for a
 * {@code synchronized} block around the whole body:
 *
 * <pre>
 * push monitor; dup; push 0; push at; invokestatic MonitorHooks.monitorEnter; monitorenter
 * [range] push monitor; invokestatic MonitorHooks.monitorEntered; original code ...
 *         [/range] push monitor; dup; invokestatic MonitorHooks.monitorExit; monitorexit; xRETURN [range] ...
 * handler: [self] push monitor; monitorexit [/self]; push monitor; invokestatic MonitorHooks.monitorExit; athrow
 *          (the self range also goes to the handler, as javac's)
 * </pre>
 *
 * {@code at} is the method's location ({@code CodeLocations}: {@code Foo.bar(Foo.java:12)}, its
 * first line). The monitor is {@code this} or the class constant. {@code this} is read from slot 0, which javac
 * never writes; a method whose code writes it (generated or obfuscated bytecode) keeps its receiver
 * in a local of the rewrite's own, added to every stack map frame. Same
 * semantics: the monitor is released on every exit, exceptional ones included, and the JIT sees
 * structured locking. At a class's definition, and at every later retransformation of a class so
 * defined (the modifiers must stay those the JVM accepted); a class loaded before the agent keeps
 * its synchronized methods, checked just after the JVM took the monitor.
 */
final class SynchronizedBody extends InstructionAware {

    private static final String HOOKS = MonitorVisitor.HOOKS;

    private final MethodPatcher.ClassFacts facts;
    private final boolean isStatic;
    /** The local the receiver is kept in: 0, or the method's first unused slot when its code writes slot 0. */
    private final int receiverSlot;

    private final boolean expandedFrames;

    private final String method;
    private final String descriptor;
    /** The {@link CodeLocations} number of this method's monitor acquisition. */
    private int location;

    private boolean located;

    /**
     * @param receiverSlot -1 when the method never writes local 0; else its {@code max_locals}
     *     (the receiver is kept there)
     * @param expandedFrames whether the class is read with {@code EXPAND_FRAMES} (needed with a
     *     receiver slot: every frame gains it)
     */
    SynchronizedBody(
            MethodVisitor delegate,
            MethodPatcher.ClassFacts facts,
            int access,
            int receiverSlot,
            boolean expandedFrames,
            String method,
            String descriptor) {
        super(delegate);
        this.method = method;
        this.descriptor = descriptor;
        this.facts = facts;
        this.isStatic = (access & Opcodes.ACC_STATIC) != 0;
        if (receiverSlot >= 0 && (isStatic || !expandedFrames)) {
            throw new IllegalArgumentException("a receiver slot needs an instance method and expanded frames");
        }
        this.receiverSlot = Math.max(receiverSlot, 0);
        this.expandedFrames = expandedFrames;
    }

    private void pushMonitor() {
        if (!isStatic) {
            super.visitVarInsn(Opcodes.ALOAD, receiverSlot);
        } else if (facts.major >= 49) {
            super.visitLdcInsn(Type.getObjectType(facts.internalName));
        } else {
            super.visitLdcInsn(facts.internalName.replace('/', '.'));
            super.visitMethodInsn(
                    Opcodes.INVOKESTATIC, "java/lang/Class", "forName", "(Ljava/lang/String;)Ljava/lang/Class;", false);
        }
    }

    @Override
    public void visitCode() {
        super.visitCode();
        startPrologue();
        if (receiverSlot > 0) {
            super.visitVarInsn(Opcodes.ALOAD, 0);
            super.visitVarInsn(Opcodes.ASTORE, receiverSlot);
        }
        pushMonitor();
        super.visitInsn(Opcodes.DUP);
        super.visitInsn(Opcodes.ICONST_0);
        // where: the method's first line, set once its line numbers are visited (before the class
        // is defined, so the hook never sees the number without its text)
        location = CodeLocations.reserve("method " + facts.internalName + "." + method + descriptor);
        MethodPatcher.pushInt(mv, location);
        super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "monitorEnter", "(Ljava/lang/Object;II)V", false);
        super.visitInsn(Opcodes.MONITORENTER);
        openRange();
        rangeHasCode();
        pushMonitor();
        super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "monitorEntered", "(Ljava/lang/Object;)V", false);
    }

    /** Releases the monitor: the hook, then {@code monitorexit}. */
    private void exitMonitor() {
        pushMonitor();
        super.visitInsn(Opcodes.DUP);
        super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "monitorExit", "(Ljava/lang/Object;)V", false);
        super.visitInsn(Opcodes.MONITOREXIT);
    }

    @Override
    public void visitInsn(int opcode) {
        if (opcode >= Opcodes.IRETURN && opcode <= Opcodes.RETURN) {
            exitMonitor(); // inside the range, as javac's monitorexit before a return
            super.visitInsn(opcode);
            rangeHasCode();
            closeRange();
            openRange();
            return;
        }
        rangeHasCode();
        super.visitInsn(opcode);
    }

    @Override
    public void visitLineNumber(int line, Label start) {
        super.visitLineNumber(line, start);
        if (!located) {
            located = true;
            CodeLocations.set(location, facts.location(method, line));
        }
    }

    @Override
    public void visitMaxs(int maxStack, int maxLocals) {
        if (!located) {
            located = true;
            CodeLocations.set(location, facts.location(method, 0)); // no line numbers in this class file
        }
        closeRange();
        Label handler = new Label();
        Label selfStart = new Label();
        Label selfEnd = new Label();
        for (int i = 0; i < ranges.size(); i += 2) {
            super.visitTryCatchBlock(ranges.get(i), ranges.get(i + 1), handler, null);
        }
        super.visitTryCatchBlock(selfStart, selfEnd, handler, null);
        super.visitLabel(handler);
        if (facts.major >= 50) {
            Object[] locals = isStatic ? new Object[0] : withReceiver(new Object[0], 0);
            super.visitFrame(expandedFrames ? Opcodes.F_NEW : Opcodes.F_FULL, locals.length, locals, 1, new Object[] {
                "java/lang/Throwable"
            });
        }
        // javac's handler: the monitorexit, covered by itself, and no call before it that could
        // throw (a StackOverflowError there would leave the monitor held as the error unwinds);
        // the hook after it (if it overflows, the monitor is released all the same, and the
        // engine resynchronises its held monitors with Thread.holdsLock).
        super.visitLabel(selfStart);
        pushMonitor();
        super.visitInsn(Opcodes.MONITOREXIT);
        super.visitLabel(selfEnd);
        pushMonitor();
        super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "monitorExit", "(Ljava/lang/Object;)V", false);
        super.visitInsn(Opcodes.ATHROW);
        super.visitMaxs(maxStack + 4, Math.max(maxLocals, receiverSlot + 1));
    }

    /** An original frame: with a receiver slot, its locals gain the receiver (expanded frames only). */
    @Override
    public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
        if (receiverSlot == 0) {
            super.visitFrame(type, numLocal, local, numStack, stack);
            return;
        }
        Object[] locals = withReceiver(local, numLocal);
        super.visitFrame(type, locals.length, locals, numStack, stack);
    }

    /**
     * {@code numLocal} frame locals, then {@code TOP} up to the receiver's slot and the receiver;
     * with the receiver in slot 0, just the receiver (the handler frame of an ordinary method).
     */
    private Object[] withReceiver(Object[] local, int numLocal) {
        if (receiverSlot == 0) {
            return new Object[] {facts.internalName};
        }
        return MethodPatcher.localsWith(local, numLocal, receiverSlot, facts.internalName);
    }
}
