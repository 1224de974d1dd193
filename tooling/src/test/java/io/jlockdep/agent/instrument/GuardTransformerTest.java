package io.jlockdep.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

/** {@link GuardTransformer}'s choice of the constructors that announce the object they build. */
class GuardTransformerTest {

    /** A constructor {@code descriptor} that calls {@code Object()} and then runs {@code body}. */
    private static void constructor(ClassWriter cw, String descriptor, Runnable body, MethodVisitor[] out) {
        MethodVisitor mv = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", descriptor, null, null);
        out[0] = mv;
        mv.visitCode();
        mv.visitVarInsn(Opcodes.ALOAD, 0);
        mv.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        body.run();
        mv.visitInsn(Opcodes.RETURN);
        mv.visitMaxs(2, 3);
        mv.visitEnd();
    }

    @Test
    void aConstructorThatWritesItsReceiverIsLeftAlone() {
        ClassWriter cw = new ClassWriter(0);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, "sample/Built", null, "java/lang/Object", null);
        MethodVisitor[] mv = new MethodVisitor[1];
        constructor(cw, "()V", () -> {}, mv);
        constructor(
                cw,
                "(Ljava/lang/Object;)V",
                () -> {
                    mv[0].visitVarInsn(Opcodes.ALOAD, 1);
                    mv[0].visitVarInsn(Opcodes.ASTORE, 0); // legal, never javac's
                },
                mv);
        constructor(cw, "(I)V", () -> mv[0].visitIincInsn(0, 1), mv);
        constructor(cw, "(J)V", () -> mv[0].visitIincInsn(1, 1), mv);
        cw.visitEnd();
        assertThat(GuardTransformer.constructorsKeepingThis(new ClassReader(cw.toByteArray())))
                .containsExactlyInAnyOrder("()V", "(J)V");
    }
}
