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
        java.util.Map<String, Boolean> callsHooks = new java.util.HashMap<>();
        new net.bytebuddy.jar.asm.ClassReader(out)
                .accept(
                        new net.bytebuddy.jar.asm.ClassVisitor(net.bytebuddy.utility.OpenedClassReader.ASM_API) {
                            @Override
                            public net.bytebuddy.jar.asm.MethodVisitor visitMethod(
                                    int access, String name, String descriptor, String signature, String[] ex) {
                                callsHooks.put(name, false);
                                return new net.bytebuddy.jar.asm.MethodVisitor(api) {
                                    @Override
                                    public void visitMethodInsn(
                                            int opcode, String owner, String n, String d, boolean itf) {
                                        if (owner.equals(MonitorVisitor.HOOKS)) {
                                            callsHooks.put(name, true);
                                        }
                                    }
                                };
                            }
                        },
                        0);
        assertThat(callsHooks).containsEntry("inc", true).containsEntry("<init>", false);
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
        byte[] again = transformer()
                .transform(
                        getClass().getClassLoader(),
                        "sample/WithSynchronizedMethods",
                        type,
                        null,
                        bytes(WithSynchronizedMethods.class));
        List<Integer> retransformed = synchronizedFlags(again);
        assertThat(retransformed)
                .as("a retransformation may not change modifiers: hooks around the body instead")
                .containsOnly(Opcodes.ACC_SYNCHRONIZED);
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
