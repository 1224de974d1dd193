package io.jlockdep.agent.instrument;

import io.jlockdep.agent.hook.Hooks;
import java.lang.instrument.ClassFileTransformer;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.FieldVisitor;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * Finds lock wrappers as classes load, from their bytecode, and hands their names to the hooks
 * ({@code Hooks.addWrapper}): a lock allocated inside a wrapper then belongs to the site that
 * allocated the wrapper. A class is a wrapper when it keeps a lock in an instance field
 * ({@code ReentrantLock}, {@code ReentrantReadWriteLock}, {@code StampedLock}, {@code Semaphore},
 * or the {@code Lock} interfaces) and one of its methods takes that lock and returns without
 * releasing it: the lock leaves the method held, as Jetty's {@code AutoLock.lock()} hands it to
 * its caller. A class that takes and releases its lock within each method is a component with a
 * lock, keyed by its allocation site as any other. The user names more with option
 * {@code wrappers}. A transformer that changes nothing.
 */
final class WrapperIndex implements ClassFileTransformer {

    private static final Set<String> LOCK_FIELDS = Set.of(
            "Ljava/util/concurrent/locks/ReentrantLock;",
            "Ljava/util/concurrent/locks/ReentrantReadWriteLock;",
            "Ljava/util/concurrent/locks/StampedLock;",
            "Ljava/util/concurrent/locks/Lock;",
            "Ljava/util/concurrent/Semaphore;");
    private static final Set<String> TAKES = Set.of(
            "lock",
            "lockInterruptibly",
            "tryLock",
            "acquire",
            "acquireUninterruptibly",
            "tryAcquire",
            "writeLock",
            "readLock",
            "tryWriteLock",
            "tryReadLock");
    private static final Set<String> RELEASES =
            Set.of("unlock", "release", "unlockWrite", "unlockRead", "tryUnlockWrite", "tryUnlockRead");
    private static final byte[][] MARKERS = {
        "java/util/concurrent/locks/".getBytes(StandardCharsets.ISO_8859_1),
        "java/util/concurrent/Semaphore".getBytes(StandardCharsets.ISO_8859_1)
    };

    WrapperIndex(List<String> named) {
        for (String n : named) {
            Hooks.addWrapper(n);
        }
    }

    @Override
    public byte[] transform(
            ClassLoader loader, String className, Class<?> redefined, ProtectionDomain domain, byte[] bytes) {
        if (className == null
                || loader == null
                || redefined != null
                || !Monitors.monitoredName(className.replace('/', '.'))
                || !mentionsLocks(bytes)) {
            return null;
        }
        try {
            if (isWrapper(bytes)) {
                Hooks.addWrapper(className.replace('/', '.'));
            }
        } catch (RuntimeException e) {
            // a class ASM cannot read: not known as a wrapper, its locks keyed by their own site
        }
        return null;
    }

    /**
     * Whether the class file names a lock type at all: a text constant of its constant pool holds
     * one of {@link #MARKERS} (a class name, a descriptor, a signature). Walks the constant pool
     * only, and searches only the texts long enough to hold a marker: every class loaded passes
     * here, interpreted at start-up, and a search of every byte of the file (its code too) cost
     * Jetty's start-up about 25 ms.
     */
    static boolean mentionsLocks(byte[] b) {
        int count = ClassFileBytes.constantCount(b);
        int p = ClassFileBytes.FIRST_CONSTANT;
        for (int i = 1; i < count; i++) {
            int size = ClassFileBytes.constantSize(b, p);
            if (size < 0) {
                return true; // a constant this reader does not know: read the class properly
            }
            if ((b[p] & 0xFF) == 1 && size - 3 >= SHORTEST_MARKER && containsMarker(b, p + 3, p + size)) {
                return true;
            }
            if (ClassFileBytes.wide(b, p)) {
                i++;
            }
            p += size;
        }
        return false;
    }

    private static final int SHORTEST_MARKER = Math.min(MARKERS[0].length, MARKERS[1].length);

    /** Whether {@code b[from, to)} holds one of {@link #MARKERS}. */
    private static boolean containsMarker(byte[] b, int from, int to) {
        for (int i = from; i + SHORTEST_MARKER <= to; i++) {
            if (b[i] != 'j') {
                continue; // both markers start with "java/"
            }
            for (byte[] marker : MARKERS) {
                if (i + marker.length <= to && ClassFileBytes.regionEquals(b, i, marker)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Whether a class keeps a lock in a field and a method of it returns with that lock taken. */
    static boolean isWrapper(byte[] classFile) {
        ClassReader reader = new ClassReader(classFile);
        String self = reader.getClassName();
        Set<String> lockFields = new HashSet<>();
        boolean[] wrapper = {false};
        reader.accept(
                new ClassVisitor(OpenedClassReader.ASM_API) {
                    @Override
                    public FieldVisitor visitField(
                            int access, String name, String descriptor, String signature, Object value) {
                        if ((access & Opcodes.ACC_STATIC) == 0 && LOCK_FIELDS.contains(descriptor)) {
                            lockFields.add(name);
                        }
                        return null;
                    }

                    @Override
                    public MethodVisitor visitMethod(
                            int access, String name, String descriptor, String signature, String[] exceptions) {
                        if (lockFields.isEmpty()
                                || wrapper[0]
                                || (access & (Opcodes.ACC_STATIC | Opcodes.ACC_ABSTRACT)) != 0
                                || name.equals("<init>")) {
                            return null;
                        }
                        return new MethodVisitor(OpenedClassReader.ASM_API) {
                            private String lastField;
                            private final Set<String> taken = new HashSet<>();
                            private final Set<String> released = new HashSet<>();

                            @Override
                            public void visitFieldInsn(int opcode, String owner, String field, String d) {
                                lastField =
                                        opcode == Opcodes.GETFIELD && owner.equals(self) && lockFields.contains(field)
                                                ? field
                                                : null;
                            }

                            @Override
                            public void visitMethodInsn(
                                    int opcode, String owner, String method, String d, boolean itf) {
                                if (lastField != null && TAKES.contains(method)) {
                                    taken.add(lastField);
                                } else if (lastField != null && RELEASES.contains(method)) {
                                    released.add(lastField);
                                }
                                lastField = null;
                            }

                            @Override
                            public void visitInsn(int opcode) {
                                lastField = null;
                            }

                            @Override
                            public void visitVarInsn(int opcode, int var) {
                                if (opcode != Opcodes.ALOAD) {
                                    lastField = null;
                                }
                            }

                            @Override
                            public void visitEnd() {
                                taken.removeAll(released);
                                if (!taken.isEmpty()) {
                                    wrapper[0] = true;
                                }
                            }
                        };
                    }
                },
                ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return wrapper[0];
    }
}
