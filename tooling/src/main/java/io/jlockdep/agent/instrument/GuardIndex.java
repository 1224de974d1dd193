package io.jlockdep.agent.instrument;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.jar.asm.AnnotationVisitor;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.TypePath;
import net.bytebuddy.jar.asm.TypeReference;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * The locking contracts a class file writes down in annotations, read by descriptor so that the
 * agent needs none of the annotation libraries: {@code @GuardedBy} on fields and methods (JCIP
 * {@code net.jcip.annotations}, JSR-305 {@code javax.annotation.concurrent}, Error Prone
 * {@code com.google.errorprone.annotations.concurrent}, the Checker Framework's type annotation
 * {@code org.checkerframework.checker.lock.qual}) and the Checker Framework's method annotations
 * {@code @Holding}, {@code @ReleasesNoLocks} and {@code @LockingFree}. Each lock expression is
 * parsed ({@link GuardExpression}); one the agent cannot parse is a problem named with its member
 * ({@code guard: com.example.Cache.entries: cannot resolve 'foo': ...}), never dropped in silence.
 */
final class GuardIndex {

    private GuardIndex() {}

    /** Where a contract comes from, by the annotation's descriptor. */
    enum Flavour {
        JCIP("Lnet/jcip/annotations/GuardedBy;", "@net.jcip.annotations.GuardedBy"),
        JSR305("Ljavax/annotation/concurrent/GuardedBy;", "@javax.annotation.concurrent.GuardedBy"),
        ERROR_PRONE(
                "Lcom/google/errorprone/annotations/concurrent/GuardedBy;",
                "@com.google.errorprone.annotations.concurrent.GuardedBy"),
        CHECKER(
                "Lorg/checkerframework/checker/lock/qual/GuardedBy;",
                "@org.checkerframework.checker.lock.qual.GuardedBy"),
        HOLDING("Lorg/checkerframework/checker/lock/qual/Holding;", "@org.checkerframework.checker.lock.qual.Holding"),
        RELEASES_NO_LOCKS(
                "Lorg/checkerframework/checker/lock/qual/ReleasesNoLocks;",
                "@org.checkerframework.checker.lock.qual.ReleasesNoLocks"),
        LOCKING_FREE(
                "Lorg/checkerframework/checker/lock/qual/LockingFree;",
                "@org.checkerframework.checker.lock.qual.LockingFree");

        final String descriptor;
        final String display;

        Flavour(String descriptor, String display) {
            this.descriptor = descriptor;
            this.display = display;
        }

        static Flavour of(String descriptor) {
            for (Flavour f : values()) {
                if (f.descriptor.equals(descriptor)) {
                    return f;
                }
            }
            return null;
        }
    }

    /** What a contract asks of its member. */
    enum Kind {
        /** A field: every read and write with the lock held. */
        GUARDED_FIELD,
        /** A method: called with the lock held ({@code @GuardedBy} on a method, {@code @Holding}). */
        HOLDING,
        /** A method that releases no lock it was called with ({@code @ReleasesNoLocks}). */
        RELEASES_NO_LOCKS,
        /** A method that takes and releases no lock at all ({@code @LockingFree}). */
        LOCKING_FREE
    }

    /**
     * One annotated member: {@code owner} (internal name), {@code name}, {@code descriptor}, its
     * modifiers, the annotation it came from and the locks it names (none for
     * {@code @ReleasesNoLocks} and {@code @LockingFree}).
     */
    record Guard(
            String owner,
            String name,
            String descriptor,
            Kind kind,
            boolean isStatic,
            boolean isFinal,
            Flavour flavour,
            List<GuardExpression> locks) {

        /** {@code com.example.Cache.entries}, or {@code com.example.Cache.evict()} for a method. */
        String member() {
            return memberName(owner, name, kind == Kind.GUARDED_FIELD);
        }
    }

    /** How reports name a member: {@code com.example.Cache.entries}, {@code com.example.Cache.evict()}. */
    static String memberName(String owner, String name, boolean field) {
        return owner.replace('/', '.') + "." + name + (field ? "" : "()");
    }

    /** The contracts of one class file, and the expressions the agent could not parse. */
    record Contracts(List<Guard> guards, List<String> problems, Shape shape) {}

    /**
     * What resolving a field reference or a lock expression needs of a class: its name, class-file
     * version, superclass, its fields and methods ({@code name:descriptor} to access flags), and
     * its member classes by simple name with the class that encloses it, from the
     * {@code InnerClasses} attribute.
     */
    record Shape(
            String name,
            int major,
            int access,
            String superName,
            Map<String, Integer> fields,
            Map<String, Integer> methods,
            Map<String, String> memberClasses,
            String outer) {

        boolean isInterface() {
            return (access & Opcodes.ACC_INTERFACE) != 0;
        }
    }

    /** Reads the contracts of {@code classFile}; a class with none costs one pass over its members' attributes. */
    static Contracts read(byte[] classFile) {
        List<Guard> guards = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        Map<String, Integer> fields = new HashMap<>();
        Map<String, Integer> methods = new HashMap<>();
        Map<String, String> memberClasses = new HashMap<>();
        String[] outer = new String[1];
        ClassReader reader = new ClassReader(classFile);
        reader.accept(
                new ClassVisitor(OpenedClassReader.ASM_API) {
                    private String owner;

                    @Override
                    public void visit(
                            int version,
                            int access,
                            String name,
                            String signature,
                            String superName,
                            String[] interfaces) {
                        owner = name;
                    }

                    @Override
                    public void visitInnerClass(String name, String outerName, String innerName, int access) {
                        if (outerName != null && outerName.equals(owner) && innerName != null) {
                            memberClasses.put(innerName, name);
                        } else if (name.equals(owner) && outerName != null) {
                            outer[0] = outerName;
                        }
                    }

                    @Override
                    public FieldVisitor visitField(
                            int access, String name, String descriptor, String signature, Object value) {
                        fields.put(name + ":" + descriptor, access);
                        Member m = new Member(owner, name, descriptor, access, true, guards, problems);
                        return new FieldVisitor(OpenedClassReader.ASM_API) {
                            @Override
                            public AnnotationVisitor visitAnnotation(String desc, boolean visible) {
                                return m.annotation(desc);
                            }

                            @Override
                            public AnnotationVisitor visitTypeAnnotation(
                                    int typeRef, TypePath typePath, String desc, boolean visible) {
                                // the Checker Framework's @GuardedBy annotates the field's type itself
                                return typePath == null && new TypeReference(typeRef).getSort() == TypeReference.FIELD
                                        ? m.annotation(desc)
                                        : null;
                            }
                        };
                    }

                    @Override
                    public MethodVisitor visitMethod(
                            int access, String name, String descriptor, String signature, String[] exceptions) {
                        methods.put(name + ":" + descriptor, access);
                        Member m = new Member(owner, name, descriptor, access, false, guards, problems);
                        return new MethodVisitor(OpenedClassReader.ASM_API) {
                            @Override
                            public AnnotationVisitor visitAnnotation(String desc, boolean visible) {
                                return m.annotation(desc);
                            }
                        };
                    }
                },
                ClassReader.SKIP_CODE | ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        int major = ((classFile[6] & 0xFF) << 8) | (classFile[7] & 0xFF);
        Shape shape = new Shape(
                reader.getClassName(),
                major,
                reader.getAccess(),
                reader.getSuperName(),
                fields,
                methods,
                memberClasses,
                outer[0]);
        return new Contracts(List.copyOf(guards), List.copyOf(problems), shape);
    }

    /** One field or method being read: turns each contract annotation on it into a {@link Guard}. */
    private static final class Member {
        private final String owner;
        private final String name;
        private final String descriptor;
        private final int access;
        private final boolean field;
        private final List<Guard> guards;
        private final List<String> problems;

        Member(
                String owner,
                String name,
                String descriptor,
                int access,
                boolean field,
                List<Guard> guards,
                List<String> problems) {
            this.owner = owner;
            this.name = name;
            this.descriptor = descriptor;
            this.access = access;
            this.field = field;
            this.guards = guards;
            this.problems = problems;
        }

        AnnotationVisitor annotation(String desc) {
            Flavour flavour = Flavour.of(desc);
            if (flavour == null) {
                return null;
            }
            Kind kind = kind(flavour);
            if (kind == null) {
                return null; // e.g. @Holding on a field: not a contract the annotation languages define
            }
            if (kind == Kind.RELEASES_NO_LOCKS || kind == Kind.LOCKING_FREE) {
                add(kind, flavour, List.of());
                return null;
            }
            List<String> texts = new ArrayList<>();
            return new AnnotationVisitor(OpenedClassReader.ASM_API) {
                @Override
                public void visit(String attribute, Object value) {
                    if ("value".equals(attribute) && value instanceof String) {
                        texts.add((String) value);
                    }
                }

                @Override
                public AnnotationVisitor visitArray(String attribute) {
                    if (!"value".equals(attribute)) {
                        return null;
                    }
                    return new AnnotationVisitor(OpenedClassReader.ASM_API) {
                        @Override
                        public void visit(String unnamed, Object value) {
                            if (value instanceof String) {
                                texts.add((String) value);
                            }
                        }
                    };
                }

                @Override
                public void visitEnd() {
                    List<GuardExpression> locks = new ArrayList<>();
                    for (String text : texts) {
                        try {
                            locks.add(GuardExpression.parse(text));
                        } catch (GuardExpression.Unsupported e) {
                            problems.add("guard: " + memberName(owner, name, field) + ": " + e.getMessage());
                        }
                    }
                    // the Checker Framework's @GuardedBy({}) is its default: guarded by nothing
                    if (!locks.isEmpty()) {
                        add(kind, flavour, List.copyOf(locks));
                    }
                }
            };
        }

        private Kind kind(Flavour flavour) {
            switch (flavour) {
                case HOLDING:
                    return field ? null : Kind.HOLDING;
                case RELEASES_NO_LOCKS:
                    return field ? null : Kind.RELEASES_NO_LOCKS;
                case LOCKING_FREE:
                    return field ? null : Kind.LOCKING_FREE;
                default:
                    return field ? Kind.GUARDED_FIELD : Kind.HOLDING;
            }
        }

        private void add(Kind kind, Flavour flavour, List<GuardExpression> locks) {
            guards.add(new Guard(
                    owner,
                    name,
                    descriptor,
                    kind,
                    (access & Opcodes.ACC_STATIC) != 0,
                    (access & Opcodes.ACC_FINAL) != 0,
                    flavour,
                    locks));
        }
    }
}
