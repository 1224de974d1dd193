package io.jlockdep.agent.instrument;

import java.lang.instrument.ClassFileTransformer;
import java.lang.instrument.Instrumentation;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.WeakHashMap;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Rewrites {@code synchronized} blocks and {@code Object.wait} calls of application classes
 * ({@link MonitorVisitor}) and gives {@code synchronized} methods their hooks
 * ({@link HookCalls#synchronizedMethod}, {@link MethodPatcher}), with plain ASM: most classes have
 * none of these, and a look at the raw class file ({@link #needsRewrite}) lets them through
 * untouched, without being parsed. The rewrite adds one stack map frame (a synchronized method's
 * exceptional exit) and changes none, so the class is copied with ASM's reader and writer and
 * nothing is computed.
 *
 * <p>A class whose synchronized methods lost {@code ACC_SYNCHRONIZED} at its definition is
 * recorded ({@link #madeExplicit}): any later retransformation or redefinition of it (Mockito's
 * inline mock maker, another agent, a debugger's hot swap) starts again from the bytes that still
 * say {@code synchronized}, and must give the JVM the same method modifiers it accepted then, or
 * the JVM refuses the whole retransformation ("attempted to change method modifiers").
 */
final class MonitorTransformer implements ClassFileTransformer {

    private final Notices notices;

    /**
     * The classes (internal names) whose synchronized methods were made explicit when they were
     * defined, by defining loader (weakly: a loader's entry goes with it; the boot loader is the
     * null key, which a {@code WeakHashMap} holds strongly). Guarded by itself.
     */
    private final Map<ClassLoader, Set<String>> madeExplicit = new WeakHashMap<>();

    MonitorTransformer(Notices notices) {
        this.notices = notices;
    }

    @Override
    public byte[] transform(
            ClassLoader loader, String className, Class<?> redefined, ProtectionDomain domain, byte[] bytes) {
        if (className == null) {
            return null;
        }
        if (!Monitors.tracked(loader, className.replace('/', '.'))) {
            return null;
        }
        try {
            // the JDK's code announces no lock call sites (MonitorVisitor): its calls are not looked for
            Scan scan = scan(bytes, !Monitors.jdkLoader(loader));
            if (scan == null) {
                return null;
            }
            ClassReader reader = new ClassReader(bytes);
            ClassWriter writer = new ClassWriter(reader, 0);
            boolean patchMethods = (reader.getAccess() & Opcodes.ACC_INTERFACE) == 0;
            // the shape the JVM accepted at the definition: explicit then, explicit for ever
            boolean explicit = redefined == null || wasMadeExplicit(loader, className);
            // a receiver kept in a local of the rewrite's own is in every frame: frames expanded
            boolean expand = patchMethods && explicit && scan.writesReceiver();
            Rewriting rewriting = new Rewriting(writer, patchMethods, explicit, expand, scan);
            reader.accept(rewriting, expand ? ClassReader.EXPAND_FRAMES : 0);
            byte[] rewritten = writer.toByteArray();
            if (redefined == null && rewriting.madeExplicit) {
                recordExplicit(loader, className);
            }
            for (String method : rewriting.leftAlone) {
                notices.notice(
                        "synchronized method " + className.replace('/', '.') + "." + method
                                + " writes local 0 (its receiver) and was loaded before the agent:"
                                + " its monitor is not tracked",
                        Notices.generated(className));
            }
            return rewritten;
        } catch (RuntimeException e) {
            notices.uninstrumented(className.replace('/', '.'), e); // e.g. a method too large once rewritten
            return null;
        }
    }

    private boolean wasMadeExplicit(ClassLoader loader, String className) {
        synchronized (madeExplicit) {
            Set<String> names = madeExplicit.get(loader);
            return names != null && names.contains(className);
        }
    }

    private void recordExplicit(ClassLoader loader, String className) {
        synchronized (madeExplicit) { // no lambda: this runs while classes load (a class circularity)
            Set<String> names = madeExplicit.get(loader);
            if (names == null) {
                names = new HashSet<>();
                madeExplicit.put(loader, names);
            }
            names.add(className);
        }
    }

    /**
     * Rewrites every method's monitor instructions and, with {@code patchMethods}, each
     * {@code synchronized} method with code: at the class's definition (and at every later
     * retransformation of a class so defined), into a method that takes its monitor explicitly
     * ({@link SynchronizedBody}: checked before it can block); when a class loaded before the agent
     * is retransformed (modifiers cannot change then), with enter and exit hooks around the body,
     * the JVM holding the monitor from before the first instruction.
     */
    private static final class Rewriting extends MethodPatcher.ClassFacts.Recorder {
        private static final Patch SYNCHRONIZED = HookCalls.synchronizedMethod();
        private final MonitorVisitor rewriter = new MonitorVisitor();
        private final boolean patchMethods;
        private final boolean explicitMethods;
        private final boolean expandedFrames;
        /** By method, in class-file order: what it has to rewrite ({@link #scan}). */
        private final Scan scan;

        private int method;

        /** Whether a synchronized method lost its {@code ACC_SYNCHRONIZED}. */
        boolean madeExplicit;

        /** The synchronized methods left without hooks (name and descriptor). */
        final List<String> leftAlone = new ArrayList<>();

        Rewriting(
                ClassVisitor delegate,
                boolean patchMethods,
                boolean explicitMethods,
                boolean expandedFrames,
                Scan scan) {
            super(delegate);
            this.patchMethods = patchMethods;
            this.explicitMethods = explicitMethods;
            this.expandedFrames = expandedFrames;
            this.scan = scan;
        }

        @Override
        public MethodVisitor visitMethod(
                int access, String name, String descriptor, String signature, String[] exceptions) {
            int index = method++;
            if (index < scan.rewrite.length && !scan.rewrite[index]) {
                // nothing to rewrite: the writer's own visitor, so ASM copies the method's bytes as they are
                return super.visitMethod(access, name, descriptor, signature, exceptions);
            }
            boolean explicit = patchMethods && explicitMethods && synchronizedWithCode(access);
            madeExplicit |= explicit;
            int written = explicit ? access & ~Opcodes.ACC_SYNCHRONIZED : access;
            MethodVisitor out = super.visitMethod(written, name, descriptor, signature, exceptions);
            if (index < scan.made.length && scan.made[index]) {
                out = new Made(out, facts.internalName);
            }
            int receiverSlot = index < scan.receiverSlot.length ? scan.receiverSlot[index] : -1;
            // local 0 is the receiver throughout: the owner of the fields the method locks
            boolean thisInLocal0 =
                    (access & Opcodes.ACC_STATIC) == 0 && index < scan.writesLocal0.length && !scan.writesLocal0[index];
            if (explicit) {
                // under the rewriter: the monitor instructions it writes are not rewritten again
                return rewriter.rewriter(
                        new SynchronizedBody(out, facts, access, receiverSlot, expandedFrames, name, descriptor),
                        facts,
                        name,
                        thisInLocal0);
            }
            MethodVisitor mv = rewriter.rewriter(out, facts, name, thisInLocal0);
            if (patchMethods && synchronizedWithCode(access) && receiverSlot >= 0) {
                // the JVM holds the monitor; the exit hook could not name it: left to the JVM
                leftAlone.add(name + descriptor);
                return mv;
            }
            if (patchMethods && synchronizedWithCode(access)) {
                return new MethodPatcher(mv, facts, access, name, descriptor, SYNCHRONIZED, -1, false);
            }
            return mv;
        }
    }

    /**
     * A constructor of a class with synchronized instance methods: right after its
     * {@code super(...)} call (the first {@code invokespecial <init>} that no {@code new} is
     * waiting for), {@code MonitorHooks.made(this)}, which records where the object was made: its
     * monitor's role (issue 28). A constructor that calls {@code this(...)} leaves it to the one
     * it calls. Adds no branch, so no stack map frame changes.
     */
    private static final class Made extends AfterSuperCall {
        private final String owner;

        Made(MethodVisitor delegate, String owner) {
            super(delegate);
            this.owner = owner;
        }

        @Override
        void superCalled(String calledOwner) {
            if (!calledOwner.equals(owner)) {
                super.visitVarInsn(Opcodes.ALOAD, 0);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, Hook.MONITOR_HOOKS, "made", "(Ljava/lang/Object;)V", false);
            }
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            super.visitMaxs(Math.max(maxStack, 1), maxLocals);
        }
    }

    /** Whether a method's access flags say synchronized, with a body (not abstract, not native). */
    static boolean synchronizedWithCode(int access) {
        return (access & Opcodes.ACC_SYNCHRONIZED) != 0 && (access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) == 0;
    }

    /** Whether anything in the class must be rewritten ({@link #scan}). */
    static boolean needsRewrite(byte[] b) {
        return scan(b, true) != null;
    }

    /** By method, in class-file order, whether it must be rewritten ({@link #scan}); null when none must. */
    static boolean[] methodsToRewrite(byte[] b) {
        Scan scan = scan(b, true);
        return scan == null ? null : scan.rewrite;
    }

    /**
     * What {@link #scan} finds, by method in class-file order.
     *
     * @param rewrite whether the method must be rewritten (an empty array: every method)
     * @param receiverSlot for a synchronized instance method whose code writes local 0 (legal
     *     bytecode that javac never emits: generators, obfuscators), its {@code max_locals}: the
     *     rewrite keeps the monitor, its receiver, in that new local; else -1
     * @param writesLocal0 whether an instance method to rewrite has code that writes local 0, its
     *     receiver (an empty array, a static method or a method not to rewrite: not known)
     * @param made whether the method is a constructor to call {@code MonitorHooks.made(this)}
     *     ({@link Made}): the class has synchronized instance methods, and the constructor never
     *     writes local 0
     */
    record Scan(boolean[] rewrite, int[] receiverSlot, boolean[] writesLocal0, boolean[] made) {
        boolean writesReceiver() {
            for (int slot : receiverSlot) {
                if (slot >= 0) {
                    return true;
                }
            }
            return false;
        }
    }

    /**
     * Which methods must be rewritten: it is {@code synchronized}, its code has
     * {@code monitorenter}/{@code monitorexit} ({@link #hasMonitorInstruction}) or, with
     * {@code lockCalls}, calls a method named as a lock method ({@link MonitorVisitor#LOCK_METHOD_NAMES}:
     * its site is announced), or (every method, then) the constant pool has a method reference
     * named {@code wait}; null when none must. Reads the class file's structure only, allocating
     * nothing per constant but a name table; the methods left alone are copied by ASM byte for byte.
     */
    static Scan scan(byte[] b, boolean lockCalls) {
        return scan(b, lockCalls, lockCalls);
    }

    /**
     * {@link #scan(byte[], boolean)}; with {@code madeHooks}, a class with synchronized instance
     * methods also has its constructors rewritten ({@link Made}).
     */
    static Scan scan(byte[] b, boolean lockCalls, boolean madeHooks) {
        int count = ClassFileBytes.constantCount(b);
        int[] nameAndTypeName = new int[count];
        List<int[]> methodRefs = new ArrayList<>(); // {constant, its name-and-type}
        byte[] named = new byte[count]; // by constant: WAIT, CODE, LOCK_METHOD, or 0
        int p = ClassFileBytes.FIRST_CONSTANT;
        for (int i = 1; i < count; i++) {
            int size = ClassFileBytes.constantSize(b, p);
            if (size < 0) {
                return new Scan(
                        new boolean[0], new int[0], new boolean[0], new boolean[0]); // unknown constant: every method
            }
            int tag = b[p] & 0xFF;
            if (tag == 1) {
                named[i] = nameOf(b, p + 3, size - 3);
            } else if (tag == 12) {
                nameAndTypeName[i] = u2(b, p + 1);
            } else if (tag == 10 || tag == 11) {
                methodRefs.add(new int[] {i, u2(b, p + 3)});
            }
            if (ClassFileBytes.wide(b, p)) {
                i++;
            }
            p += size;
        }
        boolean callsWait = false;
        boolean[] lockRef = new boolean[count]; // by constant: a reference to a lock method's name
        boolean anyLockRef = false;
        for (int[] ref : methodRefs) {
            int nat = ref[1];
            int name = nat < count ? nameAndTypeName[nat] : 0;
            int what = name > 0 && name < count ? named[name] : 0;
            if (what == WAIT) {
                callsWait = true;
            } else if (lockCalls && what == LOCK_METHOD) {
                lockRef[ref[0]] = true;
                anyLockRef = true;
            }
        }
        InstructionTest rewritten = anyLockRef ? new MonitorOrLockCall(lockRef) : MONITOR_INSTRUCTION;
        p += 6; // access, this, super
        p += 2 + 2 * u2(b, p); // interfaces
        int fields = u2(b, p);
        p += 2;
        for (int i = 0; i < fields; i++) {
            p = skipAttributes(b, p + 6);
        }
        int methods = u2(b, p);
        p += 2;
        boolean synchronizedInstances = madeHooks && anySynchronizedInstanceMethod(b, p, methods);
        boolean[] made = new boolean[methods];
        boolean[] rewrite = new boolean[methods];
        int[] receiverSlot = new int[methods];
        boolean[] writesLocal0 = new boolean[methods];
        boolean any = false;
        for (int i = 0; i < methods; i++) {
            int access = u2(b, p);
            boolean synchronizedInstance = synchronizedWithCode(access) && (access & Opcodes.ACC_STATIC) == 0;
            int nameConstant = u2(b, p + 2);
            boolean constructor = synchronizedInstances && nameConstant < count && named[nameConstant] == INIT;
            rewrite[i] = callsWait || synchronizedWithCode(access) || constructor;
            receiverSlot[i] = -1;
            int attrs = u2(b, p + 6);
            p += 8;
            for (int a = 0; a < attrs; a++) {
                int nameIndex = u2(b, p);
                int len = u4(b, p + 2);
                if (nameIndex < count && named[nameIndex] == CODE) {
                    if (!rewrite[i] && anyInstruction(b, p + 14, u4(b, p + 10), rewritten)) {
                        rewrite[i] = true;
                    }
                    writesLocal0[i] = rewrite[i]
                            && (access & Opcodes.ACC_STATIC) == 0 // only an instance method's receiver matters
                            && writesLocalZero(b, p + 14, u4(b, p + 10));
                    if (synchronizedInstance && writesLocal0[i]) {
                        receiverSlot[i] = u2(b, p + 8); // max_locals: the first slot the code never uses
                    }
                }
                p += 6 + len;
            }
            made[i] = constructor && !writesLocal0[i];
            any |= rewrite[i];
        }
        return any ? new Scan(rewrite, receiverSlot, writesLocal0, made) : null;
    }

    /** Whether any of the {@code methods} method_info structures from {@code p} is a synchronized instance method with code. */
    private static boolean anySynchronizedInstanceMethod(byte[] b, int p, int methods) {
        for (int i = 0; i < methods; i++) {
            int access = u2(b, p);
            if (synchronizedWithCode(access) && (access & Opcodes.ACC_STATIC) == 0) {
                return true;
            }
            p = skipAttributes(b, p + 6);
        }
        return false;
    }

    /**
     * Whether the code at {@code start} ({@code length} bytes) stores to local 0 (any store or
     * {@code iinc}, {@code wide} ones included). An opcode it does not know answers true.
     */
    static boolean writesLocalZero(byte[] b, int start, int length) {
        return anyInstruction(b, start, length, STORES_TO_LOCAL_ZERO);
    }

    /** Whether the instruction at {@code pc} stores to local 0: a store or {@code iinc}, {@code wide} ones too. */
    private static boolean storesToLocalZero(byte[] b, int pc, int op) {
        if (op == 0x3B || op == 0x3F || op == 0x43 || op == 0x47 || op == 0x4B) {
            return true; // istore_0, lstore_0, fstore_0, dstore_0, astore_0
        }
        if (((op >= 0x36 && op <= 0x3A) || op == 0x84) && (b[pc + 1] & 0xFF) == 0) {
            return true; // a store or iinc naming slot 0
        }
        if (op != 0xC4) {
            return false;
        }
        int wideOp = b[pc + 1] & 0xFF;
        return ((wideOp >= 0x36 && wideOp <= 0x3A) || wideOp == 0x84) && u2(b, pc + 2) == 0;
    }

    /**
     * Tells whether one instruction ({@code op} at {@code pc}) is the one looked for. Instances are
     * classes, not lambdas: this runs while classes load, the JDK's among them, and linking a
     * lambda there can be a class circularity.
     */
    private interface InstructionTest {
        boolean test(byte[] b, int pc, int op);
    }

    private static final InstructionTest STORES_TO_LOCAL_ZERO = new InstructionTest() {
        @Override
        public boolean test(byte[] b, int pc, int op) {
            return storesToLocalZero(b, pc, op);
        }
    };

    private static final InstructionTest MONITOR_INSTRUCTION = new InstructionTest() {
        @Override
        public boolean test(byte[] b, int pc, int op) {
            return op == 0xC2 || op == 0xC3; // monitorenter, monitorexit
        }
    };

    /** What a UTF-8 constant names, for {@link #scan}. */
    private static final byte WAIT = 1;

    private static final byte CODE = 2;
    private static final byte LOCK_METHOD = 3;
    private static final byte INIT = 4;

    /** The lock method names ({@link MonitorVisitor#LOCK_METHOD_NAMES}) as Latin-1 bytes, to compare without decoding. */
    private static final byte[][] LOCK_METHOD_BYTES = latin1(MonitorVisitor.LOCK_METHOD_NAMES);

    private static final byte[] WAIT_BYTES = {'w', 'a', 'i', 't'};
    private static final byte[] CODE_BYTES = {'C', 'o', 'd', 'e'};
    private static final byte[] INIT_BYTES = {'<', 'i', 'n', 'i', 't', '>'};

    private static byte[][] latin1(List<String> names) {
        byte[][] out = new byte[names.size()][];
        for (int i = 0; i < out.length; i++) {
            out[i] = names.get(i).getBytes(java.nio.charset.StandardCharsets.ISO_8859_1);
        }
        return out;
    }

    /** What the UTF-8 constant of {@code length} bytes at {@code at} names ({@link #WAIT}, ...), or 0; compared in place. */
    private static byte nameOf(byte[] b, int at, int length) {
        if (sameBytes(b, at, length, WAIT_BYTES)) {
            return WAIT;
        }
        if (sameBytes(b, at, length, CODE_BYTES)) {
            return CODE;
        }
        if (sameBytes(b, at, length, INIT_BYTES)) {
            return INIT;
        }
        for (byte[] name : LOCK_METHOD_BYTES) {
            if (sameBytes(b, at, length, name)) {
                return LOCK_METHOD;
            }
        }
        return 0;
    }

    private static boolean sameBytes(byte[] b, int at, int length, byte[] name) {
        return length == name.length && ClassFileBytes.regionEquals(b, at, name);
    }

    /**
     * A monitor instruction, or a call ({@code invokevirtual}, {@code invokeinterface}) of a method
     * reference named as a lock method: its site is announced ({@link MonitorVisitor#lockCall}).
     */
    private static final class MonitorOrLockCall implements InstructionTest {
        private final boolean[] lockRef;

        MonitorOrLockCall(boolean[] lockRef) {
            this.lockRef = lockRef;
        }

        @Override
        public boolean test(byte[] b, int pc, int op) {
            if (op == 0xB6 || op == 0xB9) {
                int ref = u2(b, pc + 1);
                return ref < lockRef.length && lockRef[ref];
            }
            return MONITOR_INSTRUCTION.test(b, pc, op);
        }
    }

    /**
     * Whether an instruction of the code at {@code start} ({@code length} bytes) passes
     * {@code test}, walked instruction by instruction (operands are never taken for opcodes); an
     * opcode the walk does not know answers true: a rewrite too many, never one too few.
     */
    private static boolean anyInstruction(byte[] b, int start, int length, InstructionTest test) {
        int end = start + length;
        int pc = start;
        while (pc < end) {
            int op = b[pc] & 0xFF;
            if (test.test(b, pc, op)) {
                return true;
            }
            int size = instructionSize(b, start, pc, op);
            if (size <= 0) {
                return true;
            }
            pc += size;
        }
        return false;
    }

    /**
     * Whether the code at {@code start} ({@code length} bytes) has a {@code monitorenter} or
     * {@code monitorexit} instruction: walked instruction by instruction, so that the bytes 0xC2
     * and 0xC3 in an operand (a constant-pool index, a branch offset) are not taken for one (they
     * made about every other class of a real application a false alarm, rewritten for nothing).
     * An opcode it does not know answers true: a rewrite too many, never one too few.
     */
    static boolean hasMonitorInstruction(byte[] b, int start, int length) {
        return anyInstruction(b, start, length, MONITOR_INSTRUCTION);
    }

    /** The size of the instruction {@code op} at {@code pc} (JVMS 6.5), or 0 for an unknown opcode. */
    private static int instructionSize(byte[] b, int codeStart, int pc, int op) {
        if (op <= 0x0F || op >= 0x1A && op <= 0x35 || op >= 0x3B && op <= 0x83 || op >= 0x85 && op <= 0x98) {
            return 1; // constants, loads and stores with the slot in the opcode, arithmetic, conversions
        }
        if (op >= 0xAC && op <= 0xB1 || op == 0xBE || op == 0xBF || op == 0xC2 || op == 0xC3) {
            return 1; // returns, arraylength, athrow, monitors
        }
        if (op == 0x10
                || op == 0x12
                || op >= 0x15 && op <= 0x19
                || op >= 0x36 && op <= 0x3A
                || op == 0xA9
                || op == 0xBC) {
            return 2; // bipush, ldc, loads and stores with a slot, ret, newarray
        }
        if (op == 0x11
                || op == 0x13
                || op == 0x14
                || op == 0x84
                || op >= 0x99 && op <= 0xA8
                || op >= 0xB2 && op <= 0xB8
                || op == 0xBB
                || op == 0xBD
                || op == 0xC0
                || op == 0xC1
                || op == 0xC6
                || op == 0xC7) {
            return 3; // sipush, ldc_w, ldc2_w, iinc, branches, field access, invokes, new, casts, ifnull
        }
        if (op == 0xC5) {
            return 4; // multianewarray
        }
        if (op == 0xB9 || op == 0xBA || op == 0xC8 || op == 0xC9) {
            return 5; // invokeinterface, invokedynamic, goto_w, jsr_w
        }
        if (op == 0xC4) {
            return (b[pc + 1] & 0xFF) == 0x84 ? 6 : 4; // wide iinc, or a wide load/store/ret
        }
        int pad = 3 - ((pc - codeStart) & 3); // operands start at a multiple of 4 from the code's start
        if (op == 0xAA) { // tableswitch: default, low, high, then high - low + 1 offsets
            int operands = pc + 1 + pad;
            int low = u4(b, operands + 4);
            int high = u4(b, operands + 8);
            return 1 + pad + 12 + 4 * (high - low + 1);
        }
        if (op == 0xAB) { // lookupswitch: default, npairs, then npairs match-offset pairs
            int operands = pc + 1 + pad;
            return 1 + pad + 8 + 8 * u4(b, operands + 4);
        }
        return 0;
    }

    private static int skipAttributes(byte[] b, int p) {
        int attrs = u2(b, p);
        p += 2;
        for (int a = 0; a < attrs; a++) {
            p += 6 + u4(b, p + 2);
        }
        return p;
    }

    private static int u2(byte[] b, int p) {
        return ClassFileBytes.u2(b, p);
    }

    private static int u4(byte[] b, int p) {
        return ClassFileBytes.u4(b, p);
    }

    /** At start-up: the JDK classes whose monitors are tracked that are already loaded. */
    static void retransformJdkClasses(Instrumentation inst) {
        retransform(inst, false);
    }

    /** After attaching to a running JVM: the application classes already loaded, and the JDK's. */
    static void retransformLoaded(Instrumentation inst) {
        retransform(inst, true);
    }

    /**
     * Retransforms the JDK classes whose monitors are tracked ({@link Monitors#JDK_CLASSES}) and,
     * with {@code applicationClasses}, the application classes that are loaded. All in one call:
     * the JVM then stops the world once. (No lambda or functional interface here: loading one while the JDK's classes are
     * retransformed can be a class circularity.)
     */
    private static void retransform(Instrumentation inst, boolean applicationClasses) {
        List<Class<?>> wanted = new ArrayList<>();
        for (Class<?> c : inst.getAllLoadedClasses()) {
            ClassLoader l = c.getClassLoader();
            boolean want = (Monitors.jdkLoader(l) || applicationClasses && !c.isArray() && !c.isHidden())
                    && Monitors.tracked(l, c.getName());
            if (want && inst.isModifiableClass(c)) {
                wanted.add(c);
            }
        }
        try {
            inst.retransformClasses(wanted.toArray(new Class<?>[0]));
        } catch (Exception | LinkageError all) {
            for (Class<?> c : wanted) { // one at a time: only the one that cannot be is left untracked
                try {
                    inst.retransformClasses(c);
                } catch (Exception | LinkageError e) {
                    // a class that cannot be retransformed keeps its monitors untracked
                }
            }
        }
    }
}
