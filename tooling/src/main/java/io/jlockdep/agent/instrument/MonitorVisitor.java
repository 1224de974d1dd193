package io.jlockdep.agent.instrument;

import io.jlockdep.agent.hook.CodeLocations;
import io.jlockdep.agent.hook.LockCallSites;
import io.jlockdep.agent.hook.MonitorHooks;
import net.bytebuddy.jar.asm.Label;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;

/**
 * Rewrites {@code synchronized} blocks and {@code Object.wait} calls in application code and in
 * the JDK classes whose monitors are tracked, with ASM, so that monitors join the graph:
 *
 * <pre>
 * dup; astore n; monitorenter  -&gt;  dup; astore n; dup; push site; push at; invokestatic MonitorHooks.monitorEnter; monitorenter; nop;
 *                                 [javac's protected range starts] aload n; invokestatic MonitorHooks.monitorEntered
 * other monitorenter      -&gt;  dup; dup; push site; push at; invokestatic MonitorHooks.monitorEnter; monitorenter; nop; invokestatic MonitorHooks.monitorEntered
 * monitorexit             -&gt;  dup; invokestatic MonitorHooks.monitorExit; monitorexit
 * obj.wait(...)           -&gt;  invokestatic MonitorHooks.wait(obj, ...)
 * rl.lock()               -&gt;  push at; invokestatic LockCallSites.call; rl.lock()       (application code)
 * lock.lock() via Lock    -&gt;  dup; push at; invokestatic LockCallSites.interfaceCall; lock.lock()
 * </pre>
 *
 * The check runs before {@code monitorenter} can block. {@code site} names the application field
 * the monitor was just read from ({@code getfield}/{@code getstatic}, then javac's {@code dup;
 * astore}), registered with {@link MonitorHooks#fieldSite}, or else (negated) the class whose code
 * this is ({@link MonitorHooks#codeSite}): a JDK-typed monitor ({@code new Object()}) gets that
 * field's lock class, as the kernel keys a lock by its field, or the using class's. {@code at}
 * is where the block is ({@link CodeLocations}: {@code Foo.bar(Foo.java:12)}). The
 * inserted instructions leave the operand stack as they found it and add no branch, so no stack
 * map frame changes; only the maximum stack grows by five (with the field's owner, {@code this}).
 */
final class MonitorVisitor {

    static final String HOOKS = MonitorHooks.class.getName().replace('.', '/');

    static final String SITES = LockCallSites.class.getName().replace('.', '/');

    /** What {@link #lockCall} says of a call. */
    static final int NOT_A_LOCK_CALL = 0;

    /** An acquisition on a receiver declared as one of the JDK's locks. */
    static final int JDK_LOCK_CALL = 1;

    /** {@code lock()}, {@code lockInterruptibly()} or {@code tryLock()} through {@code Lock}. */
    static final int INTERFACE_CALL = 2;

    /** {@code tryLock(long, TimeUnit)} through {@code Lock}: the receiver is under its arguments. */
    static final int INTERFACE_TIMED_CALL = 3;

    private static final String LOCKS = "java/util/concurrent/locks/";
    private static final String TIMED = "(JLjava/util/concurrent/TimeUnit;)";

    /**
     * The names of the lock methods whose calls announce their site ({@link LockCallSites}): a
     * class whose constant pool names none has no such call ({@link MonitorTransformer#scan}).
     */
    static final java.util.List<String> LOCK_METHOD_NAMES = java.util.List.of(
            "lock",
            "lockInterruptibly",
            "tryLock",
            "writeLock",
            "readLock",
            "tryWriteLock",
            "tryReadLock",
            "writeLockInterruptibly",
            "readLockInterruptibly");

    /**
     * Whether a call is an acquisition of one of the JDK's locks, and of which shape: a
     * {@code ReentrantLock}'s, a read or write view's of a {@code ReentrantReadWriteLock},
     * a {@code StampedLock}'s, or one through the {@code Lock} interface.
     */
    static int lockCall(int opcode, String owner, String name, String descriptor) {
        if (opcode != Opcodes.INVOKEVIRTUAL && opcode != Opcodes.INVOKEINTERFACE || !owner.startsWith(LOCKS)) {
            return NOT_A_LOCK_CALL;
        }
        String type = owner.substring(LOCKS.length());
        switch (type) {
            case "Lock":
                if (name.equals("tryLock") && descriptor.equals(TIMED + "Z")) {
                    return INTERFACE_TIMED_CALL;
                }
                return lockMethod(name, descriptor) ? INTERFACE_CALL : NOT_A_LOCK_CALL;
            case "ReentrantLock":
            case "ReentrantReadWriteLock$ReadLock":
            case "ReentrantReadWriteLock$WriteLock":
                return lockMethod(name, descriptor) || name.equals("tryLock") && descriptor.equals(TIMED + "Z")
                        ? JDK_LOCK_CALL
                        : NOT_A_LOCK_CALL;
            case "StampedLock":
                return stampedMethod(name, descriptor) ? JDK_LOCK_CALL : NOT_A_LOCK_CALL;
            default:
                return NOT_A_LOCK_CALL;
        }
    }

    private static boolean lockMethod(String name, String descriptor) {
        return descriptor.equals("()V") && (name.equals("lock") || name.equals("lockInterruptibly"))
                || descriptor.equals("()Z") && name.equals("tryLock");
    }

    private static boolean stampedMethod(String name, String descriptor) {
        if (descriptor.equals("()J")) { // writeLock, tryReadLock, ...: not tryOptimisticRead, tryConvertTo*
            return LOCK_METHOD_NAMES.contains(name);
        }
        return descriptor.equals(TIMED + "J") && (name.equals("tryWriteLock") || name.equals("tryReadLock"));
    }

    /**
     * The rewriting method visitor for method {@code method} of the class {@code facts} describes,
     * for {@link MonitorTransformer}.
     */
    MethodVisitor rewriter(
            MethodVisitor delegate, MethodPatcher.ClassFacts facts, String method, boolean thisInLocal0) {
        return new Rewriter(delegate, facts, method, thisInLocal0);
    }

    private static final class Rewriter extends InstructionAware {
        /** The local javac stored the monitor in ({@code dup; astore n; monitorenter}), or -1. */
        private int storedIn = -1;

        private boolean afterDup;
        /** The application field the value on the stack was read from ({@code Owner.field}), or null. */
        private String readFrom;

        private String readFromOwner;
        /** Whether the field was read from {@code this} ({@code aload_0; getfield}): the hook gets the owner. */
        private boolean readFromThis;
        /** Whether the instruction just visited was {@code aload_0} with the receiver in local 0. */
        private boolean afterThis;
        /** An instance method whose code never writes local 0: {@code aload_0} is the receiver. */
        private final boolean thisInLocal0;
        /** The local of a monitor just entered whose {@code monitorEntered} is still to be called, or -1. */
        private int enteredPending = -1;

        /** The class whose code this is (binary name): the site of a monitor not read from a field. */
        private final String owner;

        /** Whether this is the JDK's code: then monitors read from the JDK's fields are named by them too. */
        private final boolean jdkCode;

        private final MethodPatcher.ClassFacts facts;
        private final String method;
        /** The line of the instructions being visited, or 0. */
        private int line;

        Rewriter(MethodVisitor delegate, MethodPatcher.ClassFacts facts, String method, boolean thisInLocal0) {
            super(delegate);
            this.thisInLocal0 = thisInLocal0;
            this.owner = facts.internalName.replace('/', '.');
            this.jdkCode = Monitors.jdkMonitored(owner);
            this.facts = facts;
            this.method = method;
        }

        /** The {@link CodeLocations} number of the line being visited: {@code Foo.bar(Foo.java:12)}. */
        private int at() {
            return CodeLocations.register(facts.location(method, line));
        }

        @Override
        public void visitLineNumber(int l, Label start) {
            line = l;
            super.visitLineNumber(l, start);
        }

        /**
         * Calls {@code monitorEntered} for a monitor entered just before, at the first instruction
         * after {@code monitorenter}: past the label where javac's protected range starts, so a
         * StackOverflowError thrown by the call itself runs the block's own handler, which exits
         * the monitor. (Called right after {@code monitorenter}, outside the range, it left the
         * monitor held as the error unwound, and the JVM then threw IllegalMonitorStateException
         * at the method's exit.)
         */
        private void flushEntered() {
            if (enteredPending >= 0) {
                int local = enteredPending;
                enteredPending = -1;
                super.visitVarInsn(Opcodes.ALOAD, local);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "monitorEntered", "(Ljava/lang/Object;)V", false);
            }
        }

        /** Every instruction but {@code dup} and {@code astore} breaks the javac pattern. */
        @Override
        void instruction() {
            flushEntered();
            storedIn = -1;
            afterDup = false;
            readFrom = null;
            readFromThis = false;
            afterThis = false;
        }

        /**
         * The site of the monitor: the field it was read from, else (negated) the class whose code
         * locks it. In the JDK's own code ({@link Monitors#JDK_CLASSES}) the hook gives a monitor of
         * a JDK type its type's class whatever the site; the site names its {@code Object} locks
         * ({@code java.util.TimerTask.lock}).
         */
        private int site() {
            String field = readFrom;
            readFrom = null;
            if (field == null) {
                return -MonitorHooks.codeSite(owner);
            }
            return MonitorHooks.fieldSite(readFromOwner.replace('/', '.'), field);
        }

        @Override
        public void visitInsn(int opcode) {
            flushEntered();
            if (opcode == Opcodes.MONITORENTER) {
                int local = storedIn;
                boolean ofThis = readFromThis && readFrom != null;
                int site = site();
                storedIn = -1;
                afterDup = false;
                readFromThis = false;
                super.visitInsn(Opcodes.DUP);
                if (local < 0) {
                    super.visitInsn(Opcodes.DUP); // no local holds it: the hook after needs a copy
                }
                if (ofThis) {
                    mv.visitVarInsn(Opcodes.ALOAD, 0); // the field's owner: its class keys the lock
                }
                MethodPatcher.pushInt(mv, site); // the next visitor, as super.visitInsn
                MethodPatcher.pushInt(mv, at());
                super.visitMethodInsn(
                        Opcodes.INVOKESTATIC,
                        HOOKS,
                        "monitorEnter",
                        ofThis ? "(Ljava/lang/Object;Ljava/lang/Object;II)V" : "(Ljava/lang/Object;II)V",
                        false);
                super.visitInsn(Opcodes.MONITORENTER);
                // JDK 24+ (JEP 491): a virtual thread preempted in this monitorenter with a value
                // still on the operand stack resumes without running the instruction right after
                // it (seen on JDK 25, interpreted and C1 code): the nop is what it skips, not the
                // hook. Resynchronisation with Thread.holdsLock covers any event lost all the same.
                super.visitInsn(Opcodes.NOP);
                if (local < 0) {
                    super.visitMethodInsn(
                            Opcodes.INVOKESTATIC, HOOKS, "monitorEntered", "(Ljava/lang/Object;)V", false);
                } else {
                    enteredPending = local;
                }
                return;
            }
            storedIn = -1;
            afterDup = opcode == Opcodes.DUP;
            if (!afterDup) {
                readFrom = null;
                readFromThis = false;
            }
            afterThis = false;
            if (opcode == Opcodes.MONITOREXIT) {
                super.visitInsn(Opcodes.DUP);
                super.visitMethodInsn(Opcodes.INVOKESTATIC, HOOKS, "monitorExit", "(Ljava/lang/Object;)V", false);
            }
            super.visitInsn(opcode);
        }

        @Override
        public void visitVarInsn(int opcode, int var) {
            boolean stores = opcode == Opcodes.ASTORE && afterDup; // javac's dup; astore n: kept
            String field = readFrom;
            boolean ofThis = readFromThis;
            super.visitVarInsn(opcode, var); // instruction(): the entered hook, and the pattern reset
            if (stores) {
                storedIn = var;
                readFrom = field;
                readFromThis = ofThis;
            }
            afterThis = opcode == Opcodes.ALOAD && var == 0 && thisInLocal0;
        }

        @Override
        public void visitFieldInsn(int opcode, String owner, String name, String descriptor) {
            boolean onThis = afterThis && opcode == Opcodes.GETFIELD;
            super.visitFieldInsn(opcode, owner, name, descriptor); // instruction() first: the pattern reset
            if ((opcode == Opcodes.GETFIELD || opcode == Opcodes.GETSTATIC)
                    && descriptor.charAt(0) == 'L'
                    && (jdkCode || Monitors.monitoredName(owner.replace('/', '.')))) {
                readFrom = name;
                readFromOwner = owner;
                readFromThis = onThis && !jdkCode;
            }
        }

        @Override
        public void visitLabel(Label label) {
            // a label may be a jump target: a dup-astore before it is not the pattern any more
            afterDup = false;
            storedIn = -1;
            readFrom = null;
            readFromThis = false;
            afterThis = false;
            super.visitLabel(label);
        }

        @Override
        public void visitMethodInsn(int opcode, String owner, String name, String descriptor, boolean isInterface) {
            int call = jdkCode ? NOT_A_LOCK_CALL : lockCall(opcode, owner, name, descriptor);
            if (call != NOT_A_LOCK_CALL) {
                flushEntered();
                if (call == INTERFACE_CALL) {
                    super.visitInsn(Opcodes.DUP); // the receiver, checked by the hook
                }
                MethodPatcher.pushInt(mv, at());
                super.visitMethodInsn(
                        Opcodes.INVOKESTATIC,
                        SITES,
                        call == INTERFACE_CALL ? "interfaceCall" : "call",
                        call == INTERFACE_CALL ? "(Ljava/lang/Object;I)V" : "(I)V",
                        false);
                super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
                if (call == INTERFACE_TIMED_CALL) {
                    super.visitMethodInsn(Opcodes.INVOKESTATIC, SITES, "interfaceCallDone", "()V", false);
                }
                return;
            }
            if (opcode == Opcodes.INVOKEVIRTUAL
                    && name.equals("wait")
                    && !isInterface
                    && (descriptor.equals("()V") || descriptor.equals("(J)V") || descriptor.equals("(JI)V"))) {
                // Object.wait is final: whatever the owner, this is it. Same operands, now static.
                super.visitMethodInsn(
                        Opcodes.INVOKESTATIC, HOOKS, "wait", "(Ljava/lang/Object;" + descriptor.substring(1), false);
            } else {
                super.visitMethodInsn(opcode, owner, name, descriptor, isInterface);
            }
        }

        @Override
        public void visitMaxs(int maxStack, int maxLocals) {
            super.visitMaxs(maxStack + 5, maxLocals);
        }
    }
}
