package io.jlockdep.agent.instrument;

import io.jlockdep.agent.hook.MonitorHooks;
import net.bytebuddy.asm.AsmVisitorWrapper;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.implementation.Implementation;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.pool.TypePool;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * Rewrites {@code synchronized} blocks and {@code Object.wait} calls in application code, with
 * ASM, so that monitors join the graph:
 *
 * <pre>
 * monitorenter            -&gt;  dup; dup; invokestatic MonitorHooks.monitorEnter; monitorenter; invokestatic MonitorHooks.monitorEntered
 * monitorexit             -&gt;  dup; invokestatic MonitorHooks.monitorExit; monitorexit
 * obj.wait(...)           -&gt;  invokestatic MonitorHooks.wait(obj, ...)
 * </pre>
 *
 * The check runs before {@code monitorenter} can block. The inserted instructions leave the
 * operand stack as they found it and add no branch, so no stack map frame changes; only the
 * maximum stack grows by two.
 */
final class MonitorVisitor implements AsmVisitorWrapper.ForDeclaredMethods.MethodVisitorWrapper {

    static final String HOOKS = MonitorHooks.class.getName().replace('.', '/');

    @Override
    public MethodVisitor wrap(
            TypeDescription instrumentedType,
            MethodDescription instrumentedMethod,
            MethodVisitor methodVisitor,
            Implementation.Context implementationContext,
            TypePool typePool,
            int writerFlags,
            int readerFlags) {
        return new Rewriter(methodVisitor);
    }

    /** The rewriting method visitor, for plain ASM ({@link MonitorTransformer}). */
    MethodVisitor rewriter(MethodVisitor delegate) {
        return new Rewriter(delegate);
    }

    private static final class Rewriter extends MethodVisitor {
        Rewriter(MethodVisitor delegate) {
            super(OpenedClassReader.ASM_API, delegate);
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode == Opcodes.MONITORENTER) {
                super.visitInsn(Opcodes.DUP);
                super.visitInsn(Opcodes.DUP);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "monitorEnter", "(Ljava/lang/Object;)V", false);
                super.visitInsn(Opcodes.MONITORENTER);
                // JDK 24+ (JEP 491): a virtual thread preempted in this monitorenter with a value
                // still on the operand stack resumes without running the instruction right after
                // it (seen on JDK 25, interpreted and C1 code): the nop is what it skips, not the
                // hook. Resynchronisation with Thread.holdsLock covers any event lost all the same.
                super.visitInsn(Opcodes.NOP);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "monitorEntered", "(Ljava/lang/Object;)V", false);
            } else if (opcode == Opcodes.MONITOREXIT) {
                super.visitInsn(Opcodes.DUP);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "monitorExit", "(Ljava/lang/Object;)V", false);
                super.visitInsn(Opcodes.MONITOREXIT);
            } else {
                super.visitInsn(opcode);
            }
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            if (opcode == Opcodes.INVOKEVIRTUAL
                    && name.equals("wait")
                    && !isInterface
                    && (descriptor.equals("()V") || descriptor.equals("(J)V") || descriptor.equals("(JI)V"))) {
                // Object.wait is final: whatever the owner, this is it. Same operands, now static.
                super.visitMethodInsn(
                        Opcodes.INVOKESTATIC, HOOKS, "wait", "(Ljava/lang/Object;" + descriptor.substring(1), false);
            } else {
                super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
            }
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            super.visitMaxs(maxStack + 2, maxLocals);
        }
    }
}
