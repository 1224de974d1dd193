package io.jlockdep.agent.instrument;

import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * A constructor's visitor that finds its {@code super(...)} or {@code this(...)} call: the first
 * {@code invokespecial <init>} that no {@code new} is waiting for (the objects made for its
 * arguments are passed over). From there on {@code this} is initialised and may be passed to a
 * hook.
 */
abstract class AfterSuperCall extends MethodVisitor {
    private int pendingNews;
    private boolean called;

    AfterSuperCall(MethodVisitor delegate) {
        super(OpenedClassReader.ASM_API, delegate);
    }

    /** Right after the {@code super(...)} or {@code this(...)} call to a constructor of {@code owner}. */
    abstract void superCalled(String owner);

    /** Whether the {@code super(...)} or {@code this(...)} call was visited. */
    final boolean superWasCalled() {
        return called;
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
        if (opcode == Opcodes.NEW) {
            pendingNews++;
        }
        super.visitTypeInsn(opcode, type);
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
        super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
        if (called || opcode != Opcodes.INVOKESPECIAL || !name.equals("<init>")) {
            return;
        }
        if (pendingNews > 0) {
            pendingNews--; // an object made for an argument
            return;
        }
        called = true;
        superCalled(owner);
    }
}
