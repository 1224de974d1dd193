package io.jlockdep.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jlockdep.agent.instrument.GuardExpression.Form;
import io.jlockdep.agent.instrument.GuardIndex.Flavour;
import io.jlockdep.agent.instrument.GuardIndex.Guard;
import io.jlockdep.agent.instrument.GuardIndex.Kind;
import java.util.List;
import net.bytebuddy.jar.asm.AnnotationVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.TypeReference;
import org.junit.jupiter.api.Test;

/**
 * The annotations are read by descriptor from class files written here with ASM, so neither the
 * agent nor this test needs the annotation libraries.
 */
class GuardIndexTest {

    private static final String OWNER = "com/example/Cache";

    /** A class file with one field or method carrying one annotation (a type annotation when {@code typeUse}). */
    private static byte[] classWith(boolean field, int access, String desc, boolean typeUse, Object value) {
        ClassWriter cw = new ClassWriter(0);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, OWNER, null, "java/lang/Object", null);
        AnnotationVisitor av;
        if (field) {
            FieldVisitor fv = cw.visitField(access, "entries", "Ljava/util/Map;", null, null);
            av = typeUse
                    ? fv.visitTypeAnnotation(
                            TypeReference.newTypeReference(TypeReference.FIELD).getValue(), null, desc, true)
                    : fv.visitAnnotation(desc, false);
            annotate(av, value);
            fv.visitEnd();
        } else {
            MethodVisitor mv = cw.visitMethod(access | Opcodes.ACC_ABSTRACT, "evict", "()V", null, null);
            annotate(mv.visitAnnotation(desc, true), value);
            mv.visitEnd();
        }
        cw.visitEnd();
        return cw.toByteArray();
    }

    private static void annotate(AnnotationVisitor av, Object value) {
        if (value instanceof String[]) {
            AnnotationVisitor array = av.visitArray("value");
            for (String s : (String[]) value) {
                array.visit(null, s);
            }
            array.visitEnd();
        } else if (value != null) {
            av.visit("value", value);
        }
        av.visitEnd();
    }

    private static Guard only(byte[] classFile) {
        GuardIndex.Contracts c = GuardIndex.read(classFile);
        assertThat(c.problems()).isEmpty();
        assertThat(c.guards()).hasSize(1);
        return c.guards().get(0);
    }

    @Test
    void eachGuardedByFlavourOnAFieldIsRead() {
        for (Flavour f : List.of(Flavour.JCIP, Flavour.JSR305, Flavour.ERROR_PRONE)) {
            Guard g = only(classWith(true, Opcodes.ACC_PRIVATE, f.descriptor, false, "lock"));
            assertThat(g.flavour()).isEqualTo(f);
            assertThat(g.kind()).isEqualTo(Kind.GUARDED_FIELD);
            assertThat(g.member()).isEqualTo("com.example.Cache.entries");
            assertThat(g.locks()).extracting(GuardExpression::form).containsExactly(Form.FIELD);
            assertThat(g.locks().get(0).member()).isEqualTo("lock");
            assertThat(g.isStatic()).isFalse();
        }
    }

    @Test
    void theCheckerFrameworksGuardedByIsATypeAnnotationWithAnArray() {
        Guard g = only(classWith(
                true, Opcodes.ACC_PRIVATE | Opcodes.ACC_STATIC, Flavour.CHECKER.descriptor, true, new String[] {
                    "Registry.class"
                }));
        assertThat(g.flavour()).isEqualTo(Flavour.CHECKER);
        assertThat(g.isStatic()).isTrue();
        assertThat(g.locks().get(0).form()).isEqualTo(Form.CLASS_LITERAL);
        assertThat(g.locks().get(0).type()).isEqualTo("Registry");
        assertThat(GuardIndex.read(
                                classWith(true, Opcodes.ACC_PRIVATE, Flavour.CHECKER.descriptor, true, new String[0]))
                        .guards())
                .as("@GuardedBy({}) is the Checker Framework's default: guarded by nothing")
                .isEmpty();
    }

    @Test
    void methodContractsAreRead() {
        Guard ep = only(classWith(false, Opcodes.ACC_PUBLIC, Flavour.ERROR_PRONE.descriptor, false, "this"));
        assertThat(ep.kind()).isEqualTo(Kind.HOLDING);
        assertThat(ep.member()).isEqualTo("com.example.Cache.evict()");
        assertThat(ep.locks().get(0).form()).isEqualTo(Form.THIS);
        Guard holding = only(
                classWith(false, Opcodes.ACC_PUBLIC, Flavour.HOLDING.descriptor, false, new String[] {"getLock()"}));
        assertThat(holding.kind()).isEqualTo(Kind.HOLDING);
        assertThat(holding.locks().get(0).form()).isEqualTo(Form.METHOD);
        assertThat(only(classWith(false, Opcodes.ACC_PUBLIC, Flavour.RELEASES_NO_LOCKS.descriptor, false, null))
                        .kind())
                .isEqualTo(Kind.RELEASES_NO_LOCKS);
        assertThat(only(classWith(false, Opcodes.ACC_PUBLIC, Flavour.LOCKING_FREE.descriptor, false, null))
                        .kind())
                .isEqualTo(Kind.LOCKING_FREE);
    }

    @Test
    void anExpressionOutsideTheSubsetIsAProblemNamedWithItsMember() {
        GuardIndex.Contracts c =
                GuardIndex.read(classWith(true, Opcodes.ACC_PRIVATE, Flavour.JCIP.descriptor, false, "foo(bar)"));
        assertThat(c.guards()).isEmpty();
        assertThat(c.problems())
                .containsExactly(
                        "guard: com.example.Cache.entries: cannot resolve 'foo(bar)': only methods without arguments are supported");
    }

    @Test
    void otherAnnotationsAndUnannotatedClassesHaveNoContract() {
        assertThat(GuardIndex.read(classWith(true, Opcodes.ACC_PRIVATE, "Ljava/lang/Deprecated;", false, null))
                        .guards())
                .isEmpty();
    }

    @Test
    void theExpressionSubsetParses() throws Exception {
        assertThat(GuardExpression.parse("this").form()).isEqualTo(Form.THIS);
        assertThat(GuardExpression.parse("itself").form()).isEqualTo(Form.ITSELF);
        assertThat(GuardExpression.parse("lock")).isEqualTo(new GuardExpression(Form.FIELD, null, "lock", "lock"));
        assertThat(GuardExpression.parse("this.lock").member()).isEqualTo("lock");
        assertThat(GuardExpression.parse(" getLock() ").form()).isEqualTo(Form.METHOD);
        assertThat(GuardExpression.parse("this.getLock()").member()).isEqualTo("getLock");
        assertThat(GuardExpression.parse("com.example.Registry.class").type()).isEqualTo("com.example.Registry");
        GuardExpression staticField = GuardExpression.parse("Registry.LOCK");
        assertThat(staticField.form()).isEqualTo(Form.STATIC_FIELD);
        assertThat(staticField.type()).isEqualTo("Registry");
        assertThat(staticField.member()).isEqualTo("LOCK");
    }

    @Test
    void expressionsOutsideTheSubsetSayWhy() {
        assertThatThrownBy(() -> GuardExpression.parse("")).hasMessage("cannot resolve '': empty");
        assertThatThrownBy(() -> GuardExpression.parse("Outer.this"))
                .hasMessageContaining("an enclosing instance (Outer.this) is not supported");
        assertThatThrownBy(() -> GuardExpression.parse("this.a.b"))
                .hasMessageContaining("a chain of fields is not supported");
        assertThatThrownBy(() -> GuardExpression.parse("lock.get(1)"))
                .hasMessageContaining("'get(1)' is not a static field name");
        assertThatThrownBy(() -> GuardExpression.parse("this.lock(x)"))
                .hasMessageContaining("only methods without arguments");
    }
}
