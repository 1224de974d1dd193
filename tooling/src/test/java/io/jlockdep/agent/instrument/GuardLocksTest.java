package io.jlockdep.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.HashMap;
import java.util.Map;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

/**
 * {@link GuardLocks}: lock expressions resolved in the member's class, and the ones refused with
 * their reason. The classes are class files written with ASM and served as a loader's resources,
 * as the agent reads a class that is not loaded yet.
 */
class GuardLocksTest {

    private static final String JSR305 = GuardIndex.Flavour.JSR305.descriptor;

    /** A loader that serves the class files given, by internal name, and nothing else. */
    private static final class Classes extends ClassLoader {
        final Map<String, byte[]> files = new HashMap<>();

        Classes() {
            super(null);
        }

        @Override
        public InputStream getResourceAsStream(String name) {
            byte[] b = files.get(name.substring(0, name.length() - ".class".length()));
            return b == null ? null : new ByteArrayInputStream(b);
        }
    }

    /** A class: {@code fields} as name -> {descriptor, access, guard expression or null}. */
    private static byte[] type(String name, String superName, Object[][] fields, String... methods) {
        ClassWriter cw = new ClassWriter(0);
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, name, null, superName, null);
        for (Object[] f : fields) {
            FieldVisitor fv = cw.visitField((int) f[2], (String) f[0], (String) f[1], null, null);
            if (f[3] != null) {
                var av = fv.visitAnnotation(JSR305, false);
                av.visit("value", f[3]);
                av.visitEnd();
            }
            fv.visitEnd();
        }
        for (String m : methods) { // name:descriptor:access[:body]; body: returns-FIELD or calls
            String[] p = m.split(":");
            int access = Integer.parseInt(p[2]);
            if (p.length == 3) {
                cw.visitMethod(access | Opcodes.ACC_ABSTRACT, p[0], p[1], null, null)
                        .visitEnd();
                continue;
            }
            MethodVisitor mv = cw.visitMethod(access, p[0], p[1], null, null);
            mv.visitCode();
            mv.visitVarInsn(Opcodes.ALOAD, 0);
            if (p[3].startsWith("returns-")) {
                mv.visitFieldInsn(Opcodes.GETFIELD, name, p[3].substring("returns-".length()), "Ljava/lang/Object;");
            } else {
                mv.visitMethodInsn(
                        Opcodes.INVOKEVIRTUAL, "java/lang/Object", "toString", "()Ljava/lang/String;", false);
            }
            mv.visitInsn(Opcodes.ARETURN);
            mv.visitMaxs(1, 1);
            mv.visitEnd();
        }
        cw.visitEnd();
        return cw.toByteArray();
    }

    private static Object[] field(String name, String desc, int access, String guard) {
        return new Object[] {name, desc, access, guard};
    }

    private final Classes loader = new Classes();
    private final GuardLocks index = new GuardLocks();

    private GuardLocks.Entry cache(Object[]... fields) {
        loader.files.put(
                "com/example/Base",
                type(
                        "com/example/Base",
                        "java/lang/Object",
                        new Object[][] {
                            field("shared", "Ljava/lang/Object;", Opcodes.ACC_PROTECTED, null),
                            field("hidden", "Ljava/lang/Object;", Opcodes.ACC_PRIVATE, null)
                        },
                        "baseLock:()Ljava/lang/Object;:" + Opcodes.ACC_PUBLIC + ":returns-shared",
                        "hiddenLock:()Ljava/lang/Object;:" + Opcodes.ACC_PUBLIC + ":returns-hidden",
                        "syncLock:()Ljava/lang/Object;:" + (Opcodes.ACC_PUBLIC | Opcodes.ACC_SYNCHRONIZED)
                                + ":returns-shared",
                        "computedLock:()Ljava/lang/Object;:" + Opcodes.ACC_PUBLIC + ":calls",
                        "abstractLock:()Ljava/lang/Object;:" + Opcodes.ACC_PUBLIC));
        loader.files.put("com/example/Registry", type("com/example/Registry", "java/lang/Object", new Object[][] {
            field("LOCK", "Ljava/lang/Object;", Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, null),
            field("count", "I", Opcodes.ACC_PUBLIC | Opcodes.ACC_STATIC, null)
        }));
        loader.files.put(
                "com/example/Cache",
                type("com/example/Cache", "com/example/Base", fields, "size:()I:" + Opcodes.ACC_PUBLIC));
        return index.entry(loader, "com/example/Cache", null);
    }

    @Test
    void membersOfTheClassItsSuperclassesAndOtherClassesResolve() {
        GuardLocks.Entry e = cache(
                field("a", "I", 0, "shared"),
                field("b", "I", 0, "this.shared"),
                field("c", "I", 0, "baseLock()"),
                field("d", "I", 0, "Registry.LOCK"),
                field("e", "I", 0, "com.example.Registry.class"),
                field("f", "I", 0, "this"));
        assertThat(e.problems).isEmpty();
        assertThat(e.fields.get("a:I").locks[0])
                .isEqualTo(new GuardLocks.LockCode(
                        GuardLocks.LockCode.Form.GETFIELD, "com/example/Base", "shared", "Ljava/lang/Object;"));
        assertThat(e.fields.get("a:I").locks[0].declaration()).isEqualTo("com.example.Base.shared");
        assertThat(e.fields.get("b:I").locks[0].declaration()).isEqualTo("com.example.Base.shared");
        assertThat(e.fields.get("c:I").locks[0])
                .as("a plain getter is read as the field it returns: the application's method never runs")
                .isEqualTo(e.fields.get("a:I").locks[0]);
        assertThat(e.fields.get("d:I").locks[0].form()).isEqualTo(GuardLocks.LockCode.Form.GETSTATIC);
        assertThat(e.fields.get("e:I").locks[0].owner()).isEqualTo("com/example/Registry");
        assertThat(e.fields.get("f:I").locks[0].needsInstance()).isTrue();
        assertThat(index.field(loader, "com/example/Cache", "a", "I")).isSameAs(e.fields.get("a:I"));
        assertThat(index.field(loader, "com/example/Cache", "shared", "Ljava/lang/Object;"))
                .as("a field that is not guarded")
                .isNull();
    }

    @Test
    void whatCannotBeAGuardIsRefusedWithItsReason() {
        GuardLocks.Entry e = cache(
                field("a", "I", 0, "hidden"),
                field("b", "I", 0, "Registry.count"),
                field("c", "I", Opcodes.ACC_STATIC, "shared"),
                field("d", "I", 0, "size()"),
                field("e", "I", 0, "Nowhere.LOCK"),
                field("f", "I", 0, "missing"),
                field("g", "I", 0, "itself"),
                field("h", "I", Opcodes.ACC_FINAL, "missing"),
                field("i", "I", 0, "syncLock()"),
                field("j", "I", 0, "computedLock()"),
                field("k", "I", 0, "hiddenLock()"),
                field("l", "I", 0, "abstractLock()"));
        assertThat(e.problems)
                .containsExactly(
                        "guard: com.example.Cache.a: cannot resolve 'hidden': it is private in the superclass"
                                + " com.example.Base",
                        "guard: com.example.Cache.b: cannot resolve 'Registry.count': 'count' is of type int, not a lock",
                        "guard: com.example.Cache.c: cannot resolve 'shared': an instance member cannot guard the"
                                + " static member com.example.Cache.c",
                        "guard: com.example.Cache.d: cannot resolve 'size()': 'size()' does not return a lock",
                        "guard: com.example.Cache.e: cannot resolve 'Nowhere.LOCK': no class 'Nowhere' is visible"
                                + " from com.example.Cache",
                        "guard: com.example.Cache.f: cannot resolve 'missing': no field 'missing' in"
                                + " com.example.Cache or its superclasses",
                        "guard: com.example.Cache.g: cannot resolve 'itself': 'itself' names a field's own object",
                        "guard: com.example.Cache.i: cannot resolve 'syncLock()': com.example.Base.syncLock() is not"
                                + " read as a field: it is synchronized; the agent never calls application code"
                                + " (name the field instead)",
                        "guard: com.example.Cache.j: cannot resolve 'computedLock()': com.example.Base.computedLock()"
                                + " is not read as a field: it calls java.lang.Object.toString() (only a method that"
                                + " returns one of its object's fields is evaluated); the agent never calls"
                                + " application code (name the field instead)",
                        "guard: com.example.Cache.k: cannot resolve 'hiddenLock()': com.example.Base.hiddenLock()"
                                + " returns the private field com.example.Base.hidden, which com.example.Cache cannot"
                                + " read",
                        "guard: com.example.Cache.l: cannot resolve 'abstractLock()': com.example.Base.abstractLock()"
                                + " is not read as a field: it has no body here (abstract or native); the agent never"
                                + " calls application code (name the field instead)");
        assertThat(e.fields).as("a final field is exempt: not even resolved").isEmpty();
    }
}
