package io.jlockdep.agent.instrument;

import java.util.ArrayList;
import java.util.List;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * A method visitor told of every original instruction ({@link #instruction}) except
 * {@code visitInsn}, which subclasses handle themselves (returns and monitor instructions), and
 * the protected ranges of {@link MethodPatcher} and {@link SynchronizedBody}: the original code
 * between returns, each range kept only if it holds code (an empty range is an illegal exception
 * table entry). {@code MonitorVisitor}'s rewriter uses the notification alone.
 */
abstract class InstructionAware extends MethodVisitor {

    /** The protected ranges so far: start and end labels, in pairs. */
    final List<Label> ranges = new ArrayList<>();

    private Label rangeStart;
    private boolean rangeHasCode;

    /** Where code inserted before the method's first instruction starts, or null. */
    private Label prologue;

    private boolean prologueLined;

    InstructionAware(MethodVisitor delegate) {
        super(OpenedClassReader.ASM_API, delegate);
    }

    /**
     * Marks the start of code inserted before the method's first instruction (call it first in
     * {@code visitCode}): it gets the line of the method's first line number, so that a frame
     * stopped in it (a thread blocked entering a synchronized method, an exception thrown by an
     * entry hook) prints {@code Foo.bar(Foo.java:12)} as it would without the agent, not
     * {@code Foo.bar(Foo.java)}.
     */
    final void startPrologue() {
        prologue = new Label();
        super.visitLabel(prologue);
    }

    @Override
    public void visitLineNumber(int line, Label start) {
        super.visitLineNumber(line, start);
        if (prologue != null && !prologueLined) {
            prologueLined = true;
            super.visitLineNumber(line, prologue); // the JVM takes the nearest entry at or before a bci, in any order
        }
    }

    /** Called before every original instruction but those of {@code visitInsn}; by default, it is code in the current range. */
    void instruction() {
        rangeHasCode = true;
    }

    /** The current range holds code (a subclass's {@code visitInsn}). */
    final void rangeHasCode() {
        rangeHasCode = true;
    }

    /** Starts a protected range here. */
    final void openRange() {
        rangeStart = new Label();
        rangeHasCode = false;
        super.visitLabel(rangeStart);
    }

    /** Ends the current range here, keeping it if it holds code. */
    final void closeRange() {
        Label end = new Label();
        super.visitLabel(end);
        if (rangeHasCode) {
            ranges.add(rangeStart);
            ranges.add(end);
        }
        rangeStart = null;
    }

    @Override
    public void visitIntInsn(int opcode, int operand) {
        instruction();
        super.visitIntInsn(opcode, operand);
    }

    @Override
    public void visitVarInsn(int opcode, int var) {
        instruction();
        super.visitVarInsn(opcode, var);
    }

    @Override
    public void visitTypeInsn(int opcode, String type) {
        instruction();
        super.visitTypeInsn(opcode, type);
    }

    @Override
    public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
        instruction();
        super.visitFieldInsn(opcode, owner, name, descriptor);
    }

    @Override
    public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
        instruction();
        super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
    }

    @Override
    public void visitInvokeDynamicInsn(String name, String descriptor, Handle bsm, Object... bsmArgs) {
        instruction();
        super.visitInvokeDynamicInsn(name, descriptor, bsm, bsmArgs);
    }

    @Override
    public void visitJumpInsn(int opcode, Label label) {
        instruction();
        super.visitJumpInsn(opcode, label);
    }

    @Override
    public void visitLdcInsn(Object value) {
        instruction();
        super.visitLdcInsn(value);
    }

    @Override
    public void visitIincInsn(int var, int increment) {
        instruction();
        super.visitIincInsn(var, increment);
    }

    @Override
    public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
        instruction();
        super.visitTableSwitchInsn(min, max, dflt, labels);
    }

    @Override
    public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
        instruction();
        super.visitLookupSwitchInsn(dflt, keys, labels);
    }

    @Override
    public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
        instruction();
        super.visitMultiANewArrayInsn(descriptor, numDimensions);
    }
}
