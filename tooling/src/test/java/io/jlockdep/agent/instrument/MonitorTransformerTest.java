package io.jlockdep.agent.instrument;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import org.junit.jupiter.api.Test;

class MonitorTransformerTest {

    static final class WithBlock {
        final Object lock = new Object();
        int n;

        void inc() {
            synchronized (lock) {
                n++;
            }
        }
    }

    static final class WithWait {
        void await(Object o) throws InterruptedException {
            o.wait(1);
        }
    }

    /** Calls of lock methods: the JDK's locks' announce their site ({@code LockCallSites}), others' do not. */
    static final class CallsLocks {
        static final class Locker {
            void lock() {}
        }

        void viaInterface(java.util.concurrent.locks.Lock l) {
            l.lock();
            l.unlock();
        }

        void viaReentrant(java.util.concurrent.locks.ReentrantLock r) {
            r.lock();
            r.unlock();
        }

        void viaView(java.util.concurrent.locks.ReentrantReadWriteLock rw) {
            rw.readLock().lock();
            rw.readLock().unlock();
        }

        void stamped(java.util.concurrent.locks.StampedLock s) {
            long t = s.writeLock();
            s.unlockWrite(t);
            long r = s.tryOptimisticRead();
            s.validate(r);
        }

        void timed(java.util.concurrent.locks.Lock l) throws InterruptedException {
            if (l.tryLock(1, java.util.concurrent.TimeUnit.SECONDS)) {
                l.unlock();
            }
        }

        void own(Locker m) {
            m.lock();
        }

        int plain(int x) {
            return x + 1;
        }
    }

    static final class Plain {
        int twice(int x) {
            return x * 2;
        }
    }

    /** Operands with the bytes of monitorenter (0xC2) and monitorexit (0xC3), and a padded switch. */
    public static final class OperandsLikeMonitors {
        int pick(int k) {
            switch (k) {
                case 1:
                    return 194; // sipush 0x00C2
                case 2:
                    return 195; // sipush 0x00C3
                case 3:
                    return 0xC2C3;
                default:
                    return -194;
            }
        }

        long wide(long a) {
            long[] many = new long[300];
            many[194] = a;
            return many[195] + many[194];
        }
    }

    public static final class WithSynchronizedMethods {
        int n;

        public synchronized boolean inc() {
            n++;
            return Thread.holdsLock(this);
        }

        public static synchronized int twice(int x) {
            if (x < 0) {
                throw new IllegalArgumentException("negative " + Thread.holdsLock(WithSynchronizedMethods.class));
            }
            return Thread.holdsLock(WithSynchronizedMethods.class) ? x * 2 : -1;
        }
    }

    private final List<String> notices = new ArrayList<>();

    private MonitorTransformer transformer() {
        return new MonitorTransformer((text, quiet) -> notices.add(text + (quiet ? " (quiet)" : "")));
    }

    private static byte[] bytes(Class<?> c) throws IOException {
        try (InputStream in =
                c.getResourceAsStream(c.getName().substring(c.getName().lastIndexOf('.') + 1) + ".class")) {
            return in.readAllBytes();
        }
    }

    @Test
    void classesWithMonitorsOrWaitAreRewrittenOthersAreLeftAlone() throws IOException {
        assertThat(MonitorTransformer.needsRewrite(bytes(WithBlock.class))).isTrue();
        assertThat(MonitorTransformer.needsRewrite(bytes(WithWait.class))).isTrue();
        assertThat(MonitorTransformer.needsRewrite(bytes(Plain.class))).isFalse();
        assertThat(MonitorTransformer.needsRewrite(bytes(OperandsLikeMonitors.class)))
                .as("0xC2 and 0xC3 in operands are not monitor instructions")
                .isFalse();
        assertThat(MonitorTransformer.needsRewrite(bytes(WithSynchronizedMethods.class)))
                .isTrue();
    }

    @Test
    void onlyTheMethodsWithMonitorsAreRewrittenTheOthersAreCopied() throws IOException {
        assertThat(MonitorTransformer.methodsToRewrite(bytes(OperandsLikeMonitors.class)))
                .isNull();
        byte[] out = transformer()
                .transform(getClass().getClassLoader(), "sample/WithBlock", null, null, bytes(WithBlock.class));
        Map<String, List<String>> calls = calls(out, MonitorVisitor.HOOKS);
        assertThat(calls.get("inc")).isNotEmpty();
        assertThat(calls.get("<init>")).isEmpty();
    }

    /**
     * By method of the class file {@code out}, the methods it calls, in order: by method name,
     * the names of {@code owner}'s methods; with {@code owner} null, by name and descriptor,
     * every call as {@code SimpleOwner.name}.
     */
    private static Map<String, List<String>> calls(byte[] out, String owner) {
        Map<String, List<String>> calls = new HashMap<>();
        new ClassReader(out)
                .accept(
                        new ClassVisitor(net.bytebuddy.utility.OpenedClassReader.ASM_API) {
                            @Override
                            public MethodVisitor visitMethod(
                                    int access, String name, String descriptor, String signature, String[] ex) {
                                List<String> seen = new ArrayList<>();
                                calls.put(owner == null ? name + descriptor : name, seen);
                                return new MethodVisitor(api) {
                                    @Override
                                    public void visitMethodInsn(
                                            int opcode, String called, String n, String d, boolean itf) {
                                        if (owner == null) {
                                            seen.add(called.substring(called.lastIndexOf('/') + 1) + "." + n);
                                        } else if (called.equals(owner)) {
                                            seen.add(n);
                                        }
                                    }
                                };
                            }
                        },
                        0);
        return calls;
    }

    /** A class with a synchronized instance method: its constructors say where each object is made. */
    public static final class Made {
        final Object item;

        Made(Object item) {
            super();
            this.item = item;
        }

        Made() {
            this(new StringBuilder("default"));
        }

        synchronized Object item() {
            return item;
        }
    }

    /** Only a static synchronized method: its objects' monitors have no roles to tell apart. */
    public static final class StaticOnly {
        static synchronized int one() {
            return 1;
        }
    }

    @Test
    void constructorsOfAClassWithSynchronizedInstanceMethodsSayWhereTheObjectIsMade() throws IOException {
        byte[] out = transformer().transform(getClass().getClassLoader(), "sample/Made", null, null, bytes(Made.class));
        Map<String, List<String>> calls = calls(out, null);
        assertThat(calls.get("<init>(Ljava/lang/Object;)V"))
                .as("right after super(): the object is being made")
                .containsExactly("Object.<init>", "MonitorHooks.made");
        assertThat(calls.get("<init>()V"))
                .as("this(...) leaves it to the constructor it calls; the argument's constructor is not super()")
                .containsExactly("StringBuilder.<init>", "MonitorTransformerTest$Made.<init>");
        assertThat(MonitorTransformer.scan(bytes(StaticOnly.class), true).made())
                .as("no instance monitor: no constructor hook")
                .containsOnly(false);
        assertThat(MonitorTransformer.scan(bytes(Made.class), false, false).made())
                .as("the JDK's classes: none")
                .containsOnly(false);
    }

    @Test
    void callsOfTheJdksLockMethodsAnnounceTheirSite() throws IOException {
        byte[] in = bytes(CallsLocks.class);
        assertThat(MonitorTransformer.scan(in, false))
                .as("the JDK's code: not looked for")
                .isNull();
        byte[] out = transformer().transform(getClass().getClassLoader(), "sample/CallsLocks", null, null, in);
        Map<String, List<String>> calls = calls(out, MonitorVisitor.SITES);
        assertThat(calls)
                .containsEntry("viaInterface", List.of("interfaceCall"))
                .containsEntry("viaReentrant", List.of("call"))
                .containsEntry("viaView", List.of("call"))
                .containsEntry("stamped", List.of("call"))
                .containsEntry("timed", List.of("call", "interfaceCallDone"))
                .containsEntry("own", List.of())
                .containsEntry("plain", List.of());
        assertThat(MonitorTransformer.methodsToRewrite(in))
                .as("plain and the constructor are copied as they are")
                .containsExactly(false, true, true, true, true, true, true, false);
    }

    @Test
    void theInstructionWalkAgreesWithAsmOnEveryClassOfJavaBase() throws IOException {
        java.nio.file.FileSystem jrt = java.nio.file.FileSystems.getFileSystem(java.net.URI.create("jrt:/"));
        List<String> disagreements = new ArrayList<>();
        int[] checked = {0};
        try (java.util.stream.Stream<java.nio.file.Path> files =
                java.nio.file.Files.walk(jrt.getPath("/modules/java.base"))) {
            for (java.nio.file.Path f : (Iterable<java.nio.file.Path>)
                    files.filter(x -> x.toString().endsWith(".class"))::iterator) {
                byte[] b = java.nio.file.Files.readAllBytes(f);
                boolean[] monitors = {false};
                new net.bytebuddy.jar.asm.ClassReader(b)
                        .accept(
                                new net.bytebuddy.jar.asm.ClassVisitor(
                                        net.bytebuddy.utility.OpenedClassReader.ASM_API) {
                                    @Override
                                    public net.bytebuddy.jar.asm.MethodVisitor visitMethod(
                                            int access, String name, String descriptor, String signature, String[] ex) {
                                        return new net.bytebuddy.jar.asm.MethodVisitor(api) {
                                            @Override
                                            public void visitInsn(int opcode) {
                                                monitors[0] |= opcode == net.bytebuddy.jar.asm.Opcodes.MONITORENTER
                                                        || opcode == net.bytebuddy.jar.asm.Opcodes.MONITOREXIT;
                                            }
                                        };
                                    }
                                },
                                net.bytebuddy.jar.asm.ClassReader.SKIP_DEBUG
                                        | net.bytebuddy.jar.asm.ClassReader.SKIP_FRAMES);
                boolean walked = false;
                for (int[] code : codeAttributes(b)) {
                    walked |= MonitorTransformer.hasMonitorInstruction(b, code[0], code[1]);
                }
                if (walked != monitors[0]) {
                    disagreements.add(f + ": walk " + walked + ", ASM " + monitors[0]);
                }
                checked[0]++;
            }
        }
        assertThat(checked[0]).isGreaterThan(1000);
        assertThat(disagreements).isEmpty();
    }

    /** The start and length of every method's code, read with ASM's reader (offsets into {@code b}). */
    private static List<int[]> codeAttributes(byte[] b) {
        List<int[]> out = new ArrayList<>();
        net.bytebuddy.jar.asm.ClassReader r = new net.bytebuddy.jar.asm.ClassReader(b);
        int p = r.header + 6;
        p += 2 + 2 * r.readUnsignedShort(p); // interfaces
        int fields = r.readUnsignedShort(p);
        p += 2;
        for (int i = 0; i < fields; i++) {
            int attrs = r.readUnsignedShort(p + 6);
            p += 8;
            for (int a = 0; a < attrs; a++) {
                p += 6 + r.readInt(p + 2);
            }
        }
        int methods = r.readUnsignedShort(p);
        p += 2;
        char[] buf = new char[r.getMaxStringLength()];
        for (int i = 0; i < methods; i++) {
            int attrs = r.readUnsignedShort(p + 6);
            p += 8;
            for (int a = 0; a < attrs; a++) {
                if ("Code".equals(r.readUTF8(p, buf))) {
                    out.add(new int[] {p + 14, r.readInt(p + 10)});
                }
                p += 6 + r.readInt(p + 2);
            }
        }
        return out;
    }

    @Test
    void atFirstDefinitionASynchronizedMethodTakesItsMonitorExplicitlyWithTheSameSemantics() throws Exception {
        String name = WithSynchronizedMethods.class.getName();
        byte[] out = transformer()
                .transform(
                        getClass().getClassLoader(),
                        "sample/WithSynchronizedMethods", // the name filter skips the agent's packages
                        null,
                        null,
                        bytes(WithSynchronizedMethods.class));
        assertThat(out).isNotNull();
        List<Integer> access = synchronizedFlags(out);
        assertThat(access)
                .as("ACC_SYNCHRONIZED cleared: the body takes the monitor")
                .containsOnly(0);
        Class<?> type = new MethodPatcherTest.OneClassLoader(name, out).loadClass(name);
        Object o = type.getConstructor().newInstance();
        assertThat(type.getMethod("inc").invoke(o))
                .as("the monitor is held in the body")
                .isEqualTo(true);
        assertThat(Thread.holdsLock(o)).as("and released after").isFalse();
        assertThat(type.getMethod("twice", int.class).invoke(null, 4)).isEqualTo(8);
        assertThatThrownBy(() -> type.getMethod("twice", int.class).invoke(null, -1))
                .hasRootCauseMessage("negative true");
        assertThat(Thread.holdsLock(type))
                .as("released on the exceptional exit")
                .isFalse();
        byte[] loadedBefore = transformer()
                .transform(
                        getClass().getClassLoader(),
                        "sample/WithSynchronizedMethods",
                        type,
                        null,
                        bytes(WithSynchronizedMethods.class));
        assertThat(synchronizedFlags(loadedBefore))
                .as("a class loaded before the agent keeps its modifiers: hooks around the body instead")
                .containsOnly(Opcodes.ACC_SYNCHRONIZED);
    }

    /**
     * Issue 27 item 0: Mockito's inline mock maker (and any agent, or a debugger's hot swap)
     * retransforms a class the agent rewrote at its definition; the JVM hands the transformer the
     * original bytes again, and refuses the retransformation if the methods' modifiers change.
     */
    @Test
    void aRetransformationOfAClassRewrittenAtItsDefinitionKeepsTheModifiersTheJvmAccepted() throws Exception {
        MonitorTransformer transformer = transformer();
        ClassLoader loader = new ClassLoader(getClass().getClassLoader()) {};
        byte[] original = bytes(WithSynchronizedMethods.class);
        byte[] defined = transformer.transform(loader, "sample/WithSynchronizedMethods", null, null, original);
        assertThat(synchronizedFlags(defined)).containsOnly(0);
        byte[] retransformed = transformer.transform(
                loader, "sample/WithSynchronizedMethods", WithSynchronizedMethods.class, null, original);
        assertThat(synchronizedFlags(retransformed))
                .as("the shape the JVM accepted at the definition, again")
                .containsOnly(0);
        assertThat(retransformed).isEqualTo(defined);
        byte[] otherLoader = transformer.transform(
                new ClassLoader(getClass().getClassLoader()) {},
                "sample/WithSynchronizedMethods",
                WithSynchronizedMethods.class,
                null,
                original);
        assertThat(synchronizedFlags(otherLoader))
                .as("the same name in another loader, defined before the agent: its own shape")
                .containsOnly(Opcodes.ACC_SYNCHRONIZED);
    }

    /**
     * A class {@code sample/StoresReceiver} whose synchronized instance method {@code swap(Object)}
     * writes local 0 (legal, never from javac), then returns whether it held its monitor, or throws
     * when its argument is null; {@code replacement} is what it stores: another instance of the class
     * (the rewrite then looped for ever, releasing a monitor it did not hold) or a String (the
     * rewrite then failed verification).
     */
    private static byte[] storesReceiver(boolean sameType) {
        net.bytebuddy.jar.asm.ClassWriter cw =
                new net.bytebuddy.jar.asm.ClassWriter(net.bytebuddy.jar.asm.ClassWriter.COMPUTE_FRAMES) {
                    @Override
                    protected String getCommonSuperClass(String a, String b) {
                        return "java/lang/Object";
                    }
                };
        String self = "sample/StoresReceiver";
        cw.visit(Opcodes.V17, Opcodes.ACC_PUBLIC, self, null, "java/lang/Object", null);
        MethodVisitor init = cw.visitMethod(Opcodes.ACC_PUBLIC, "<init>", "()V", null, null);
        init.visitCode();
        init.visitVarInsn(Opcodes.ALOAD, 0);
        init.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/Object", "<init>", "()V", false);
        init.visitInsn(Opcodes.RETURN);
        init.visitMaxs(1, 1);
        init.visitEnd();
        MethodVisitor m = cw.visitMethod(
                Opcodes.ACC_PUBLIC | Opcodes.ACC_SYNCHRONIZED, "swap", "(Ljava/lang/Object;)Z", null, null);
        m.visitCode();
        Label start = new Label();
        m.visitLabel(start);
        m.visitLineNumber(41, start);
        m.visitVarInsn(Opcodes.ALOAD, 0);
        m.visitMethodInsn(Opcodes.INVOKESTATIC, "java/lang/Thread", "holdsLock", "(Ljava/lang/Object;)Z", false);
        m.visitVarInsn(Opcodes.ISTORE, 2);
        if (sameType) {
            m.visitTypeInsn(Opcodes.NEW, self);
            m.visitInsn(Opcodes.DUP);
            m.visitMethodInsn(Opcodes.INVOKESPECIAL, self, "<init>", "()V", false);
        } else {
            m.visitLdcInsn("not the receiver");
        }
        m.visitVarInsn(Opcodes.ASTORE, 0);
        m.visitVarInsn(Opcodes.ALOAD, 1);
        Label present = new Label();
        m.visitJumpInsn(Opcodes.IFNONNULL, present);
        m.visitTypeInsn(Opcodes.NEW, "java/lang/IllegalStateException");
        m.visitInsn(Opcodes.DUP);
        m.visitMethodInsn(Opcodes.INVOKESPECIAL, "java/lang/IllegalStateException", "<init>", "()V", false);
        m.visitInsn(Opcodes.ATHROW);
        m.visitLabel(present);
        m.visitVarInsn(Opcodes.ILOAD, 2);
        m.visitInsn(Opcodes.IRETURN);
        m.visitMaxs(0, 0);
        m.visitEnd();
        cw.visitEnd();
        return cw.toByteArray();
    }

    /** Issue 27 item 2: a synchronized method that writes local 0 keeps its receiver in a local of the rewrite's own. */
    @Test
    void aSynchronizedMethodThatWritesLocalZeroReleasesTheMonitorItTook() throws Exception {
        for (boolean sameType : new boolean[] {true, false}) {
            byte[] original = storesReceiver(sameType);
            byte[] out =
                    transformer().transform(getClass().getClassLoader(), "sample/StoresReceiver", null, null, original);
            assertThat(out).isNotNull();
            assertThat(synchronizedFlags(out)).containsOnly(0);
            Class<?> type = new MethodPatcherTest.OneClassLoader("sample.StoresReceiver", out)
                    .loadClass("sample.StoresReceiver");
            Object o = type.getConstructor().newInstance();
            java.lang.reflect.Method swap = type.getMethod("swap", Object.class);
            java.util.concurrent.FutureTask<Object> call = new java.util.concurrent.FutureTask<>(() -> {
                boolean held = (Boolean) swap.invoke(o, "x");
                assertThatThrownBy(() -> swap.invoke(o, (Object) null))
                        .hasRootCauseInstanceOf(IllegalStateException.class);
                return held && !Thread.holdsLock(o);
            });
            Thread t = new Thread(call, "swap-" + sameType);
            t.setDaemon(true); // it looped for ever before the fix
            t.start();
            assertThat(call.get(10, java.util.concurrent.TimeUnit.SECONDS))
                    .as("held in the body, released after (stores %s)", sameType ? "an instance" : "a String")
                    .isEqualTo(true);
            java.util.concurrent.FutureTask<Boolean> other = new java.util.concurrent.FutureTask<>(() -> {
                synchronized (o) {
                    return true;
                }
            });
            new Thread(other).start();
            assertThat(other.get(10, java.util.concurrent.TimeUnit.SECONDS))
                    .as("another thread can take the monitor: none left held")
                    .isTrue();
        }
    }

    @Test
    void theScanFindsEveryWriteOfLocalZero() {
        assertThat(MonitorTransformer.writesLocalZero(new byte[] {0x4B}, 0, 1))
                .as("astore_0")
                .isTrue();
        assertThat(MonitorTransformer.writesLocalZero(new byte[] {0x3A, 0}, 0, 2))
                .as("astore 0")
                .isTrue();
        assertThat(MonitorTransformer.writesLocalZero(new byte[] {(byte) 0x84, 0, 1}, 0, 3))
                .as("iinc 0")
                .isTrue();
        assertThat(MonitorTransformer.writesLocalZero(new byte[] {(byte) 0xC4, 0x3A, 0, 0}, 0, 4))
                .as("wide astore 0")
                .isTrue();
        assertThat(MonitorTransformer.writesLocalZero(new byte[] {0x3A, 1, 0x2A, 0x4C}, 0, 4))
                .as("astore 1, aload_0, astore_1")
                .isFalse();
        assertThat(MonitorTransformer.writesLocalZero(new byte[] {(byte) 0xC4, 0x3A, 1, 0}, 0, 4))
                .as("wide astore 256")
                .isFalse();
    }

    /**
     * Issue 27 item 23: the code inserted before a rewritten method's first instruction carries
     * the method's first line, so a thread blocked entering it prints {@code (File.java:41)}.
     */
    @Test
    void theInsertedPrologueHasTheMethodsFirstLine() throws Exception {
        byte[] out = transformer()
                .transform(getClass().getClassLoader(), "sample/StoresReceiver", null, null, storesReceiver(false));
        List<Integer> linesAtStart = new ArrayList<>();
        new ClassReader(out)
                .accept(
                        new ClassVisitor(Opcodes.ASM9) {
                            @Override
                            public MethodVisitor visitMethod(int acc, String n, String d, String s, String[] e) {
                                if (!n.equals("swap")) {
                                    return null;
                                }
                                return new MethodVisitor(Opcodes.ASM9) {
                                    final java.util.Set<Label> atStart = new java.util.HashSet<>();
                                    boolean code;

                                    @Override
                                    public void visitLabel(Label label) {
                                        if (!code) {
                                            atStart.add(label);
                                        }
                                    }

                                    @Override
                                    public void visitLineNumber(int line, Label start) {
                                        if (atStart.contains(start)) {
                                            linesAtStart.add(line);
                                        }
                                    }

                                    @Override
                                    public void visitVarInsn(int opcode, int var) {
                                        code = true;
                                    }

                                    @Override
                                    public void visitLdcInsn(Object value) {
                                        code = true;
                                    }
                                };
                            }
                        },
                        0);
        assertThat(linesAtStart)
                .as("a line for the first instruction, the inserted ones")
                .containsExactly(41);
    }

    /** The ACC_SYNCHRONIZED bit of every method but the constructors. */
    private static List<Integer> synchronizedFlags(byte[] classFile) {
        List<Integer> flags = new ArrayList<>();
        new ClassReader(classFile)
                .accept(
                        new ClassVisitor(Opcodes.ASM9) {
                            @Override
                            public MethodVisitor visitMethod(int acc, String n, String d, String s, String[] e) {
                                if (!n.equals("<init>")) {
                                    flags.add(acc & Opcodes.ACC_SYNCHRONIZED);
                                }
                                return null;
                            }
                        },
                        0);
        return flags;
    }

    @Test
    void aClassFileThatCannotBeRewrittenIsANoticeNotASilence() throws IOException {
        byte[] cut = java.util.Arrays.copyOf(bytes(WithBlock.class), 200);
        assertThat(transformer().transform(getClass().getClassLoader(), "sample/Cut", null, null, cut))
                .isNull();
        assertThat(notices)
                .singleElement()
                .asString()
                .startsWith("cannot instrument sample.Cut, left uninstrumented: ");
        transformer().transform(getClass().getClassLoader(), "sample/Cut$$EnhancerByMockito", null, null, cut);
        assertThat(notices).last().asString().endsWith("(quiet)");
    }

    @Test
    void theRewriteInsertsTheHooksAroundEveryMonitorInstruction() throws IOException {
        byte[] out = transformer()
                .transform(getClass().getClassLoader(), "sample/WithBlock", null, null, bytes(WithBlock.class));
        assertThat(out).isNotNull();
        String text = new String(out, java.nio.charset.StandardCharsets.ISO_8859_1);
        assertThat(text)
                .contains("io/jlockdep/agent/hook/MonitorHooks", "monitorEnter", "monitorEntered", "monitorExit");
        assertThat(transformer().transform(getClass().getClassLoader(), "sample/Plain", null, null, bytes(Plain.class)))
                .isNull();
        assertThat(transformer().transform(null, "sample/WithBlock", null, null, bytes(WithBlock.class)))
                .as("boot classes are not rewritten")
                .isNull();
    }

    @Test
    void theJdkClassesTheApplicationCallsIntoAreRewrittenTheRestOfTheJdkIsNot() throws IOException {
        assertThat(List.of(
                        "java.util.Hashtable",
                        "java.util.Vector$Itr",
                        "java.util.Stack",
                        "java.lang.StringBuffer",
                        "java.util.Collections$SynchronizedList",
                        "java.util.logging.StreamHandler",
                        "java.io.PrintStream",
                        "java.util.TimerTask"))
                .allMatch(Monitors::jdkMonitored);
        assertThat(List.of(
                        "java.util.HashMap",
                        "java.util.HashtableX",
                        "java.lang.StringBuilder",
                        "java.util.concurrent.ConcurrentHashMap",
                        "java.util.prefs.AbstractPreferences",
                        "com.example.Hashtable"))
                .noneMatch(Monitors::jdkMonitored);
        byte[] hashtable;
        try (InputStream in = Object.class.getResourceAsStream("/java/util/Hashtable.class")) {
            hashtable = in.readAllBytes();
        }
        byte[] out = transformer().transform(null, "java/util/Hashtable", null, null, hashtable);
        assertThat(out).as("a boot class of the list").isNotNull();
        assertThat(new String(out, java.nio.charset.StandardCharsets.ISO_8859_1))
                .contains("io/jlockdep/agent/hook/MonitorHooks", "monitorEnter");
        assertThat(transformer().transform(null, "java/util/HashMap", null, null, hashtable))
                .as("a boot class not in the list")
                .isNull();
    }

    /**
     * Where each hook call sits relative to javac's exception range of the synchronized block:
     * the labels of every try-catch range, then the instructions in order.
     */
    private static List<String> events(byte[] classFile, String method) {
        List<String> out = new ArrayList<>();
        new ClassReader(classFile)
                .accept(
                        new ClassVisitor(Opcodes.ASM9) {
                            @Override
                            public MethodVisitor visitMethod(
                                    int access, String name, String d, String sig, String[] ex) {
                                if (!name.equals(method)) {
                                    return null;
                                }
                                return new MethodVisitor(Opcodes.ASM9) {
                                    final Map<Label, String> starts = new HashMap<>();
                                    final Map<Label, String> ends = new HashMap<>();

                                    @Override
                                    public void visitTryCatchBlock(Label start, Label end, Label handler, String type) {
                                        starts.putIfAbsent(start, "range-start");
                                        ends.putIfAbsent(end, "range-end");
                                    }

                                    @Override
                                    public void visitLabel(Label label) {
                                        if (ends.containsKey(label)) {
                                            out.add("range-end");
                                        }
                                        if (starts.containsKey(label)) {
                                            out.add("range-start");
                                        }
                                    }

                                    @Override
                                    public void visitInsn(int opcode) {
                                        if (opcode == Opcodes.MONITORENTER) {
                                            out.add("monitorenter");
                                        } else if (opcode == Opcodes.MONITOREXIT) {
                                            out.add("monitorexit");
                                        }
                                    }

                                    @Override
                                    public void visitMethodInsn(
                                            int op, String owner, String name, String d, boolean itf) {
                                        if (owner.equals(MonitorVisitor.HOOKS)) {
                                            out.add(name);
                                        }
                                    }
                                };
                            }
                        },
                        0);
        return out;
    }

    @Test
    void theEnteredHookRunsInsideTheBlocksProtectedRangeSoAStackOverflowThereExitsTheMonitor() throws IOException {
        byte[] out = transformer()
                .transform(getClass().getClassLoader(), "sample/WithBlock", null, null, bytes(WithBlock.class));
        List<String> events = events(out, "inc");
        // monitorEnter before monitorenter (it may block), monitorEntered after the range starts:
        // a StackOverflowError in that call then runs javac's handler, which exits the monitor.
        assertThat(events)
                .containsSubsequence(
                        "monitorEnter",
                        "monitorenter",
                        "range-start",
                        "monitorEntered",
                        "monitorExit",
                        "monitorexit",
                        "range-end");
        assertThat(events.subList(events.indexOf("monitorenter"), events.indexOf("monitorEntered")))
                .contains("range-start");
    }
}
