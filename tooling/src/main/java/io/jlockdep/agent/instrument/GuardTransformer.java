package io.jlockdep.agent.instrument;

import java.lang.instrument.ClassFileTransformer;
import java.nio.charset.StandardCharsets;
import java.security.ProtectionDomain;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import net.bytebuddy.jar.asm.ClassReader;
import net.bytebuddy.jar.asm.ClassVisitor;
import net.bytebuddy.jar.asm.ClassWriter;
import net.bytebuddy.jar.asm.Handle;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;
import net.bytebuddy.utility.OpenedClassReader;

/**
 * Checks the lock contracts the application's classes write in annotations ({@link GuardIndex},
 * {@link GuardLocks}), with plain ASM:
 *
 * <ul>
 *   <li>a class with a guarded field gets one synthetic static method per lock the field names
 *       ({@code jlockdep$guard$entries(Cache)}), with the field's own access, that computes the
 *       lock in the class where the expression was written: nest-mates, lambdas and subclasses
 *       reach a private lock through it;
 *   <li>every read and write of a guarded field, in any class, first calls that method and
 *       {@code GuardHooks.read} or {@code write} with the field's owner (the object, or the class
 *       of a static field) and the lock (for {@code itself}: the value read), except the
 *       constructor's or static initialiser's own accesses to the object or class it builds;
 *   <li>the constructors of a class whose contracts bind its instances tell the engine which
 *       object they build, from their {@code super(...)} call to their exit ({@link Construction}):
 *       the object, not the class, is exempt meanwhile;
 *   <li>a {@code @GuardedBy} or {@code @Holding} method checks its lock at entry, a
 *       {@code @ReleasesNoLocks} or {@code @LockingFree} method opens a scope on the thread for
 *       its duration ({@link MethodPatcher}).
 * </ul>
 *
 * The inserted code has no branch but in the added methods, so the class's frames stay valid. An
 * expression the agent cannot resolve is a notice when its class is defined, never skipped in
 * silence. A class already loaded without the added methods (attaching to a running JVM) cannot
 * gain them, so its fields are not checked; that is a notice too.
 */
final class GuardTransformer implements ClassFileTransformer {

    private static final byte[] GUARDED_BY = "/GuardedBy;".getBytes(StandardCharsets.ISO_8859_1);
    private static final byte[] LOCK_QUAL = "checker/lock/qual/".getBytes(StandardCharsets.ISO_8859_1);
    private static final String GUARD_HOOKS = "io/jlockdep/agent/hook/GuardHooks";
    /** {@code GuardHooks.read}, {@code write}, {@code holding}: owner, lock, rule, site. */
    private static final String CHECK = "(Ljava/lang/Object;Ljava/lang/Object;II)V";

    private static final Handle ACCESSOR_BOOTSTRAP = new Handle(
            Opcodes.H_INVOKESTATIC,
            GUARD_HOOKS,
            "accessor",
            "(Ljava/lang/invoke/MethodHandles$Lookup;Ljava/lang/String;Ljava/lang/invoke/MethodType;Ljava/lang/Class;)"
                    + "Ljava/lang/invoke/CallSite;",
            false);

    private final GuardLocks index = new GuardLocks();
    private final Notices notices;
    private final AtomicInteger sites = new AtomicInteger();

    /** Attached to a running JVM (not at start-up): classes may be loaded that the transformer never saw. */
    private final boolean attached;

    private final GuardScope scope;

    GuardTransformer(Notices notices, boolean attached, GuardScope scope) {
        this.notices = notices;
        this.attached = attached;
        this.scope = scope;
    }

    @Override
    public byte[] transform(
            ClassLoader loader, String className, Class<?> redefined, ProtectionDomain domain, byte[] bytes) {
        if (className == null || Monitors.jdkLoader(loader) || !Monitors.monitoredName(className.replace('/', '.'))) {
            return null;
        }
        try {
            return rewrite(loader, className, redefined == null, scope.checks(className, domain), bytes);
        } catch (RuntimeException | LinkageError e) {
            String name = className.replace('/', '.');
            notices.notice("guard: cannot check the lock contracts in " + name + ": " + e, Notices.generated(name));
            return null;
        }
    }

    /**
     * @param checked whether the class's own code is checked ({@link GuardScope}); if not, it only
     *     gets the accessors of its guarded fields, for the classes that are
     */
    private byte[] rewrite(
            ClassLoader loader, String className, boolean firstDefinition, boolean checked, byte[] bytes) {
        GuardLocks.Entry own = null;
        boolean annotated = ClassFileBytes.contains(bytes, GUARDED_BY) || ClassFileBytes.contains(bytes, LOCK_QUAL);
        if (annotated || checked) {
            // from the bytes at hand: a checked class's references to its own fields find it read
            own = index.entry(loader, className, bytes);
            if (firstDefinition && checked) {
                for (String problem : own.problems) {
                    notices.notice(problem, false); // the sink prints it after "jlockdep: "
                }
            }
        }
        // a retransformation (from the bytes of the definition: the same entry) adds them again
        boolean accessors = own != null && !own.fields.isEmpty() && (firstDefinition || own.accessorsAdded);
        if (own != null && !own.fields.isEmpty() && !accessors && checked) {
            notices.notice(
                    "guard: " + className.replace('/', '.') + " was loaded before the agent: the accesses to its"
                            + " guarded fields are not checked",
                    false);
        }
        ClassReader reader = checked ? new ClassReader(bytes) : null;
        Map<String, GuardLocks.Member> refs = checked ? guardedReferences(loader, className, reader) : Map.of();
        boolean methods = checked && own != null && !own.methods.isEmpty();
        if (refs.isEmpty() && !methods && !accessors) {
            return null;
        }
        if (reader == null) {
            reader = new ClassReader(bytes);
        }
        ClassWriter writer = new ClassWriter(reader, 0);
        // its constructors say which object they build, unless one writes local 0 (not javac's)
        Set<String> building = own != null && own.bindsInstances() ? constructorsKeepingThis(reader) : Set.of();
        reader.accept(new Rewriting(writer, methods ? own : null, accessors ? own : null, refs, building), 0);
        if (accessors) {
            own.accessorsAdded = true;
        }
        return writer.toByteArray();
    }

    /** The field references of the class that resolve to a guarded field, by {@code owner.name:descriptor}. */
    private Map<String, GuardLocks.Member> guardedReferences(ClassLoader loader, String className, ClassReader r) {
        Map<String, GuardLocks.Member> refs = new HashMap<>();
        char[] buf = new char[r.getMaxStringLength()];
        for (int i = 1; i < r.getItemCount(); i++) {
            int at = r.getItem(i);
            if (at == 0 || r.readByte(at - 1) != 9) { // CONSTANT_Fieldref
                continue;
            }
            String owner = r.readClass(at, buf);
            if (GuardLocks.jdk(owner) || !Monitors.monitoredName(owner.replace('/', '.'))) {
                continue;
            }
            int nat = r.getItem(r.readUnsignedShort(at + 2));
            String name = r.readUTF8(nat, buf);
            String descriptor = r.readUTF8(nat + 2, buf);
            GuardLocks.Member m = index.field(loader, owner, name, descriptor);
            if (m != null && (m.guard.owner().equals(className) || hasAccessors(loader, m.guard.owner()))) {
                refs.put(owner + "." + name + ":" + descriptor, m);
            }
        }
        return refs;
    }

    /**
     * Whether class {@code owner} has, or will have, its accessors: it got them at its definition,
     * or (at start-up, when no application class is loaded yet) it gets them when it is defined.
     * Attached to a running JVM, a class not seen defined may be loaded already, without them.
     */
    private boolean hasAccessors(ClassLoader loader, String owner) {
        if (!attached) {
            return true;
        }
        GuardLocks.Entry e = index.entry(loader, owner, null);
        return e != null && e.accessorsAdded;
    }

    /** The class being rewritten. */
    private final class Rewriting extends MethodPatcher.ClassFacts.Recorder {
        /** The class's method contracts, when its code is checked; else null. */
        private final GuardLocks.Entry contracts;
        /** The class's guarded fields, when it gets their accessors; else null. */
        private final GuardLocks.Entry accessors;

        private final Map<String, GuardLocks.Member> refs;
        /** The descriptors of the constructors that announce the object they build ({@link Construction}). */
        private final Set<String> building;

        Rewriting(
                ClassVisitor delegate,
                GuardLocks.Entry contracts,
                GuardLocks.Entry accessors,
                Map<String, GuardLocks.Member> refs,
                Set<String> building) {
            super(delegate);
            this.contracts = contracts;
            this.accessors = accessors;
            this.refs = refs;
            this.building = building;
        }

        @Override
        public MethodVisitor visitMethod(
                int access, String name, String descriptor, String signature, String[] exceptions) {
            MethodVisitor mv = super.visitMethod(access, name, descriptor, signature, exceptions);
            if ((access & (Opcodes.ACC_ABSTRACT | Opcodes.ACC_NATIVE)) != 0 || name.startsWith(GuardLocks.ACCESSOR)) {
                return mv;
            }
            if (name.equals("<init>") && building.contains(descriptor)) {
                mv = new Construction(mv, facts.internalName, facts.major >= 50);
            }
            GuardLocks.Member contract =
                    contracts == null || name.equals("<init>") ? null : contracts.methods.get(name + ":" + descriptor);
            if (contract != null) {
                if (contract.locks.length == 0) { // a scope: @ReleasesNoLocks, @LockingFree
                    Hook.Arg rule = Hook.Arg.constant(contract.rules[0]);
                    mv = new MethodPatcher(
                            mv,
                            facts,
                            access,
                            name,
                            descriptor,
                            Patch.around(
                                    Hook.call(GUARD_HOOKS, "scopeEnter", "(I)V", rule),
                                    Hook.call(GUARD_HOOKS, "scopeExit", "(I)V", rule)),
                            -1,
                            false);
                } else {
                    // a static method's locks need no instance: resolved so
                    mv = new EntryCheck(
                            mv, contract, (access & Opcodes.ACC_STATIC) != 0, facts.internalName, facts.major);
                }
            }
            return refs.isEmpty() ? mv : new AccessSites(mv, facts.internalName, facts.major, name, refs);
        }

        @Override
        public void visitEnd() {
            if (accessors != null) {
                for (GuardLocks.Member m : accessors.fields.values()) {
                    addAccessors(m);
                }
            }
            super.visitEnd();
        }

        /** {@code static Object jlockdep$guard$f(Owner o) { return o == null ? null : <lock>; }} per lock of field {@code m}. */
        private void addAccessors(GuardLocks.Member m) {
            int fieldAccess = accessors.shape.fields().get(m.guard.name() + ":" + m.guard.descriptor());
            int visibility = fieldAccess & (Opcodes.ACC_PUBLIC | Opcodes.ACC_PROTECTED | Opcodes.ACC_PRIVATE);
            for (int i = 0; i < m.locks.length; i++) {
                GuardLocks.LockCode code = m.locks[i];
                if (code.form() == GuardLocks.LockCode.Form.ITSELF) {
                    continue;
                }
                MethodVisitor mv = cv.visitMethod(
                        visibility | Opcodes.ACC_STATIC | Opcodes.ACC_SYNTHETIC,
                        m.accessor(i),
                        m.accessorDescriptor(),
                        null,
                        null);
                mv.visitCode();
                if (!m.guard.isStatic()) {
                    Label present = new Label();
                    mv.visitVarInsn(Opcodes.ALOAD, 0);
                    mv.visitJumpInsn(Opcodes.IFNONNULL, present);
                    mv.visitInsn(Opcodes.ACONST_NULL);
                    mv.visitInsn(Opcodes.ARETURN);
                    mv.visitLabel(present);
                    if (facts.major >= 50) {
                        mv.visitFrame(Opcodes.F_SAME, 0, null, 0, null);
                    }
                }
                code.emit(mv, 0);
                mv.visitInsn(Opcodes.ARETURN);
                mv.visitMaxs(2, m.guard.isStatic() ? 0 : 1);
                mv.visitEnd();
            }
        }
    }

    /** At the entry of a {@code @GuardedBy} or {@code @Holding} method: each lock it names must be held. */
    private final class EntryCheck extends MethodVisitor {
        private final GuardLocks.Member contract;
        private final boolean isStatic;
        private final String className;
        private final int major;

        EntryCheck(MethodVisitor delegate, GuardLocks.Member contract, boolean isStatic, String className, int major) {
            super(OpenedClassReader.ASM_API, delegate);
            this.contract = contract;
            this.isStatic = isStatic;
            this.className = className;
            this.major = major;
        }

        @Override
        public void visitCode() {
            super.visitCode();
            for (int i = 0; i < contract.locks.length; i++) {
                GuardLocks.LockCode code = contract.locks[i];
                if (code.form() == GuardLocks.LockCode.Form.ITSELF) {
                    continue; // refused when the method's contract was resolved
                }
                if (isStatic) {
                    pushClass(mv, className, major);
                } else {
                    mv.visitVarInsn(Opcodes.ALOAD, 0); // the owner: exempt while its constructor runs
                }
                code.emit(mv, 0);
                MethodPatcher.pushInt(mv, contract.rules[i]);
                MethodPatcher.pushInt(mv, sites.incrementAndGet());
                mv.visitMethodInsn(Opcodes.INVOKESTATIC, GUARD_HOOKS, "holding", CHECK, false);
            }
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            super.visitMaxs(maxStack + 4, maxLocals);
        }
    }

    /**
     * The class {@code internalName} as a constant on the stack ({@code ldc}, from class files of
     * Java 5), or null before: the owner of a static member.
     */
    static void pushClass(MethodVisitor mv, String internalName, int major) {
        if (major >= 49) {
            mv.visitLdcInsn(Type.getObjectType(internalName));
        } else {
            mv.visitInsn(Opcodes.ACONST_NULL);
        }
    }

    /** The descriptors of the class's constructors that never write local 0, their receiver. */
    static Set<String> constructorsKeepingThis(ClassReader reader) {
        Set<String> keep = new HashSet<>();
        reader.accept(
                new ClassVisitor(OpenedClassReader.ASM_API) {
                    @Override
                    public MethodVisitor visitMethod(
                            int access, String name, String descriptor, String signature, String[] exceptions) {
                        if (!name.equals("<init>")) {
                            return null;
                        }
                        keep.add(descriptor);
                        return new MethodVisitor(api) {
                            @Override
                            public void visitVarInsn(int opcode, int var) {
                                if (var == 0 && opcode >= Opcodes.ISTORE && opcode <= Opcodes.ASTORE) {
                                    keep.remove(descriptor);
                                }
                            }

                            @Override
                            public void visitIincInsn(int var, int increment) {
                                if (var == 0) {
                                    keep.remove(descriptor);
                                }
                            }
                        };
                    }
                },
                ClassReader.SKIP_DEBUG | ClassReader.SKIP_FRAMES);
        return keep;
    }

    /**
     * A constructor of a class with lock contracts on its instances: right after its
     * {@code super(...)} or {@code this(...)} call (the first {@code invokespecial <init>} that no
     * {@code new} is waiting for), {@code GuardHooks.constructing(this)}; before each
     * {@code return} and in a handler of everything the rest of the body throws (rethrown),
     * {@code GuardHooks.constructed(this)}. The object, not the class, is exempt while it is built.
     * The handler is the last of the method's: the body's own handlers come first.
     */
    private static final class Construction extends AfterSuperCall {
        private final String owner;
        private final boolean frames;
        private final Label start = new Label();
        private final Label end = new Label();
        private final Label handler = new Label();

        Construction(MethodVisitor delegate, String owner, boolean frames) {
            super(delegate);
            this.owner = owner;
            this.frames = frames;
        }

        private void announce(String hook) {
            super.visitVarInsn(Opcodes.ALOAD, 0);
            super.visitMethodInsn(Opcodes.INVOKESTATIC, GUARD_HOOKS, hook, "(Ljava/lang/Object;)V", false);
        }

        @Override
        void superCalled(String calledOwner) {
            super.visitTryCatchBlock(start, end, handler, "java/lang/Throwable");
            announce("constructing");
            super.visitLabel(start);
        }

        @Override
        public void visitInsn(int opcode) {
            if (superWasCalled() && opcode == Opcodes.RETURN) {
                announce("constructed");
            }
            super.visitInsn(opcode);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            if (superWasCalled()) {
                super.visitLabel(end);
                super.visitLabel(handler);
                if (frames) {
                    super.visitFrame(Opcodes.F_FULL, 1, new Object[] {owner}, 1, new Object[] {"java/lang/Throwable"});
                }
                announce("constructed");
                super.visitInsn(Opcodes.ATHROW);
            }
            super.visitMaxs(Math.max(maxStack + 1, 2), maxLocals);
        }
    }

    /**
     * Every read and write of a guarded field in one method: the lock computed by the field's
     * accessor and checked before the access; for {@code itself}, the value checked after a read,
     * unless the value goes straight into {@code synchronized} (the read that takes the lock).
     */
    private final class AccessSites extends MethodVisitor {
        private final String className;
        /** The class file's major version: {@code invokedynamic} from 51 (Java 7). */
        private final int major;

        private final String method;
        private final Map<String, GuardLocks.Member> refs;
        /** An {@code itself} read whose check waits for the next instruction: rule and site. */
        private int pendingRule = -1;

        private int pendingSite;

        /** Whether the instruction just visited was {@code aload_0}: a field read next is on {@code this}. */
        private boolean afterThis;

        AccessSites(
                MethodVisitor delegate,
                String className,
                int major,
                String method,
                Map<String, GuardLocks.Member> refs) {
            super(OpenedClassReader.ASM_API, delegate);
            this.className = className;
            this.major = major;
            this.method = method;
            this.refs = refs;
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
            boolean onThis = afterThis;
            flush();
            GuardLocks.Member m = refs.get(owner + "." + name + ":" + descriptor);
            boolean isStatic = opcode == Opcodes.GETSTATIC || opcode == Opcodes.PUTSTATIC;
            boolean constructing = owner.equals(className) && method.equals(isStatic ? "<clinit>" : "<init>");
            // the object being built is not shared yet: its own fields are exempt in its constructor
            // without a call; a read of another object's field there (Node(Node head) { head.size++; })
            // is checked, by object (GuardHooks.constructing). A write's receiver is not tracked:
            // in a constructor, writes are taken to be the object's own.
            boolean ownObject = constructing && (isStatic || opcode == Opcodes.PUTFIELD || onThis);
            if (m == null || ownObject) {
                super.visitFieldInsn(opcode, owner, name, descriptor);
                return;
            }
            boolean write = opcode == Opcodes.PUTFIELD || opcode == Opcodes.PUTSTATIC;
            int itself = -1;
            for (int i = 0; i < m.locks.length; i++) {
                if (m.locks[i].form() == GuardLocks.LockCode.Form.ITSELF) {
                    itself = i;
                    continue;
                }
                int site = sites.incrementAndGet();
                if (isStatic) {
                    pushClass(mv, owner, major); // the owner of a static field: its class
                } else {
                    pushOwnerCopy(opcode, descriptor);
                    mv.visitInsn(Opcodes.DUP); // the owner, then its copy for the accessor
                }
                callAccessor(m, i);
                MethodPatcher.pushInt(mv, m.rules[i]);
                MethodPatcher.pushInt(mv, site);
                mv.visitMethodInsn(Opcodes.INVOKESTATIC, GUARD_HOOKS, write ? "write" : "read", CHECK, false);
            }
            super.visitFieldInsn(opcode, owner, name, descriptor);
            if (itself >= 0 && !write) {
                pendingRule = m.rules[itself];
                pendingSite = sites.incrementAndGet();
            }
        }

        /**
         * Calls accessor {@code i} of field {@code m}: directly in the field's own class, which gets
         * it in this same rewrite; elsewhere through {@code invokedynamic}, linked once by
         * {@code GuardHooks.accessor} to the accessor, or to a constant null (nothing checked, a
         * notice) should the field's class lack it (defined from other bytes than those read for
         * it): the agent never makes an access throw. Class files before Java 7 call it directly.
         */
        private void callAccessor(GuardLocks.Member m, int i) {
            if (m.guard.owner().equals(className) || major < 51) {
                mv.visitMethodInsn(Opcodes.INVOKESTATIC, m.guard.owner(), m.accessor(i), m.accessorDescriptor(), false);
                return;
            }
            mv.visitInvokeDynamicInsn(
                    m.accessor(i), m.accessorDescriptor(), ACCESSOR_BOOTSTRAP, Type.getObjectType(m.guard.owner()));
        }

        /** A copy of the object a {@code getfield} or {@code putfield} is about to use, on top of the stack. */
        private void pushOwnerCopy(int opcode, String descriptor) {
            if (opcode == Opcodes.GETFIELD) {
                mv.visitInsn(Opcodes.DUP);
            } else if (descriptor.equals("J") || descriptor.equals("D")) {
                mv.visitInsn(Opcodes.DUP2_X1); // obj, v -> v, obj, v
                mv.visitInsn(Opcodes.POP2); // v, obj
                mv.visitInsn(Opcodes.DUP_X2); // obj, v, obj
            } else {
                mv.visitInsn(Opcodes.DUP2); // obj, v, obj, v
                mv.visitInsn(Opcodes.POP); // obj, v, obj
            }
        }

        /** The {@code itself} check of the read just made, unless {@code next} takes the value's lock. */
        private void flush() {
            afterThis = false;
            if (pendingRule < 0) {
                return;
            }
            mv.visitInsn(Opcodes.DUP);
            mv.visitInsn(Opcodes.ACONST_NULL); // the owner is not known here
            mv.visitInsn(Opcodes.SWAP);
            MethodPatcher.pushInt(mv, pendingRule);
            MethodPatcher.pushInt(mv, pendingSite);
            mv.visitMethodInsn(Opcodes.INVOKESTATIC, GUARD_HOOKS, "read", CHECK, false);
            pendingRule = -1;
        }

        @Override
        public void visitInsn(int opcode) {
            if (opcode == Opcodes.DUP || opcode == Opcodes.MONITORENTER) {
                pendingRule = -1; // synchronized (field): the read that takes the lock
            }
            flush();
            super.visitInsn(opcode);
        }

        @Override
        public void visitVarInsn(int opcode, int var) {
            if (opcode == Opcodes.ASTORE) {
                pendingRule = -1; // kept in a local, to be locked: synchronized (field) as javac writes it
            }
            flush();
            super.visitVarInsn(opcode, var);
            afterThis = opcode == Opcodes.ALOAD && var == 0;
        }

        @Override
        public void visitIntInsn(int opcode, int operand) {
            flush();
            super.visitIntInsn(opcode, operand);
        }

        @Override
        public void visitTypeInsn(int opcode, String type) {
            flush();
            super.visitTypeInsn(opcode, type);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            flush();
            super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
        }

        @Override
        public void visitInvokeDynamicInsn(String name, String descriptor, Handle bsm, Object... bsmArgs) {
            flush();
            super.visitInvokeDynamicInsn(name, descriptor, bsm, bsmArgs);
        }

        @Override
        public void visitJumpInsn(int opcode, Label label) {
            flush();
            super.visitJumpInsn(opcode, label);
        }

        @Override
        public void visitLabel(Label label) {
            flush();
            super.visitLabel(label);
        }

        @Override
        public void visitLdcInsn(Object value) {
            flush();
            super.visitLdcInsn(value);
        }

        @Override
        public void visitIincInsn(int var, int increment) {
            flush();
            super.visitIincInsn(var, increment);
        }

        @Override
        public void visitTableSwitchInsn(int min, int max, Label dflt, Label... labels) {
            flush();
            super.visitTableSwitchInsn(min, max, dflt, labels);
        }

        @Override
        public void visitLookupSwitchInsn(Label dflt, int[] keys, Label[] labels) {
            flush();
            super.visitLookupSwitchInsn(dflt, keys, labels);
        }

        @Override
        public void visitMultiANewArrayInsn(String descriptor, int numDimensions) {
            flush();
            super.visitMultiANewArrayInsn(descriptor, numDimensions);
        }

        @Override
        public void visitFrame(int type, int numLocal, Object[] local, int numStack, Object[] stack) {
            flush();
            super.visitFrame(type, numLocal, local, numStack, stack);
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            flush();
            super.visitMaxs(maxStack + 5, maxLocals);
        }
    }
}
