package io.jlockdep.agent.instrument;

import io.jlockdep.agent.engine.GuardRule;
import io.jlockdep.agent.hook.GuardHooks;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ConcurrentHashMap;
import net.bytebuddy.jar.asm.MethodVisitor;
import net.bytebuddy.jar.asm.Opcodes;
import net.bytebuddy.jar.asm.Type;

/**
 * The lock contracts of the application's classes, by class loader and class name, with each
 * lock expression resolved to the bytecode that computes it in the member's own class. A class is
 * read when it is defined, or earlier, from its loader's resources, when another class that
 * refers to its fields is (a subclass is transformed before its superclass loads; a caller may be
 * before its callee). Each contract is registered with {@link GuardHooks} once, here.
 */
final class GuardLocks {

    /** The prefix of the synthetic static methods that compute a guarded field's lock in its class. */
    static final String ACCESSOR = "jlockdep$guard$";

    private static final String OBJECT = "java/lang/Object";

    /** Classes read, by loader (weakly: an unloaded loader takes its entries with it). */
    private final Map<ClassLoader, Map<String, Entry>> byLoader = new WeakHashMap<>();

    /** A class's contracts, or its shape only when it has none. */
    static final class Entry {
        final GuardIndex.Shape shape;
        /** The bytes it was read from, hashed: a definition from other bytes replaces it. */
        final int digest;
        /** The class was defined with the accessors of its guarded fields (and gets them again if retransformed). */
        volatile boolean accessorsAdded;
        /** Guarded, checkable fields by {@code name:descriptor}. */
        final Map<String, Member> fields = new ConcurrentHashMap<>();
        /** Method contracts by {@code name:descriptor}. */
        final Map<String, Member> methods = new ConcurrentHashMap<>();

        final List<String> problems = new ArrayList<>();

        Entry(GuardIndex.Shape shape, int digest) {
            this.shape = shape;
            this.digest = digest;
        }

        boolean hasContracts() {
            return !fields.isEmpty() || !methods.isEmpty();
        }

        /**
         * Whether a contract binds the class's instances (an instance field or method): its
         * constructors then say which object they build, exempt until they end.
         */
        boolean bindsInstances() {
            for (Member m : fields.values()) {
                if (!m.guard.isStatic()) {
                    return true;
                }
            }
            for (Member m : methods.values()) {
                if (!m.guard.isStatic()) {
                    return true;
                }
            }
            return false;
        }
    }

    /** One annotated member: its contract, and per lock it names the rule number and the code that computes it. */
    static final class Member {
        final GuardIndex.Guard guard;
        final int[] rules;
        final LockCode[] locks;

        Member(GuardIndex.Guard guard, int[] rules, LockCode[] locks) {
            this.guard = guard;
            this.rules = rules;
            this.locks = locks;
        }

        /** The accessor that computes lock {@code i} of this field in its class. */
        String accessor(int i) {
            return ACCESSOR + guard.name() + (i == 0 ? "" : "$" + i);
        }

        String accessorDescriptor() {
            return guard.isStatic() ? "()Ljava/lang/Object;" : "(L" + guard.owner() + ";)Ljava/lang/Object;";
        }
    }

    /**
     * How a lock is computed in the member's class: {@code this} (or the class of a static member),
     * the field's own value ({@code itself}), a field (also the one a getter named in the
     * expression returns), a class literal or another class's static field.
     */
    record LockCode(Form form, String owner, String name, String descriptor) {
        enum Form {
            THIS,
            ITSELF,
            CLASS,
            GETFIELD,
            GETSTATIC
        }

        /** Where the lock is declared, for reports: {@code com.example.Cache.lock}; null for the rest. */
        String declaration() {
            return switch (form) {
                case GETFIELD, GETSTATIC -> GuardIndex.memberName(owner, name, true);
                default -> null;
            };
        }

        /** Whether it reads the member's object (not available to a static member). */
        boolean needsInstance() {
            return (form == Form.THIS && owner == null) || form == Form.GETFIELD;
        }

        /** Pushes the lock; {@code self} is the local holding the member's object (unused for static forms). */
        void emit(MethodVisitor mv, int self) {
            switch (form) {
                case THIS -> {
                    if (owner == null) {
                        mv.visitVarInsn(Opcodes.ALOAD, self);
                    } else {
                        mv.visitLdcInsn(Type.getObjectType(owner));
                    }
                }
                case CLASS -> mv.visitLdcInsn(Type.getObjectType(owner));
                case GETFIELD -> {
                    mv.visitVarInsn(Opcodes.ALOAD, self);
                    mv.visitFieldInsn(Opcodes.GETFIELD, owner, name, descriptor);
                }
                case GETSTATIC -> mv.visitFieldInsn(Opcodes.GETSTATIC, owner, name, descriptor);
                default -> throw new IllegalStateException("itself is read at the access, not computed");
            }
        }
    }

    /**
     * The entry of {@code name} as {@code loader} sees it: from {@code bytes} when given (the class
     * being defined), else read from the loader's resources; null when it cannot be read.
     */
    Entry entry(ClassLoader loader, String name, byte[] bytes) {
        Map<String, Entry> classes;
        synchronized (byLoader) {
            classes = byLoader.computeIfAbsent(loader, l -> new ConcurrentHashMap<>());
        }
        Entry e = classes.get(name);
        if (e != null && (bytes == null || e.digest == digest(bytes))) {
            return e;
        }
        Map<String, Entry> mine = building.get();
        e = mine.get(name);
        if (e != null) {
            return e; // a lock expression naming the class being read (Registry.LOCK in Registry)
        }
        byte[] b = bytes != null ? bytes : read(loader, name);
        if (b == null) {
            return null;
        }
        GuardIndex.Contracts c = GuardIndex.read(b);
        e = new Entry(c.shape(), digest(b));
        e.problems.addAll(c.problems());
        mine.put(name, e);
        byte[] outerBytes = buildingBytes.get();
        buildingBytes.set(b);
        try {
            for (GuardIndex.Guard g : c.guards()) {
                add(loader, e, g);
            }
        } finally {
            mine.remove(name);
            buildingBytes.set(outerBytes);
        }
        // published complete: another thread never sees an entry whose guards are still being added
        if (bytes != null) {
            // the class as it is defined: what was read for it earlier (its loader's resource) may
            // differ (another agent's rewrite, a loader that defines other bytes); the accessors and
            // checks follow the bytes that run, and a site compiled against the old entry finds no
            // accessor, which its invokedynamic turns into a notice
            classes.put(name, e);
            return e;
        }
        Entry raced = classes.putIfAbsent(name, e);
        return raced != null ? raced : e;
    }

    private static int digest(byte[] b) {
        return java.util.Arrays.hashCode(b) * 31 + b.length;
    }

    private static final java.util.Set<String> IMMUTABLE = java.util.Set.of(
            "Ljava/lang/String;",
            "Ljava/lang/Integer;",
            "Ljava/lang/Long;",
            "Ljava/lang/Short;",
            "Ljava/lang/Byte;",
            "Ljava/lang/Character;",
            "Ljava/lang/Boolean;",
            "Ljava/lang/Float;",
            "Ljava/lang/Double;",
            "Ljava/lang/Class;",
            "Ljava/math/BigInteger;",
            "Ljava/math/BigDecimal;",
            "Ljava/util/UUID;");

    /**
     * Whether a field type ({@code descriptor}) holds values nobody can change: primitives,
     * {@code String}, the boxed types, an enum, a record whose fields are all of such types
     * (read from its class file, {@code depth} levels down at most).
     */
    private boolean immutable(ClassLoader loader, String descriptor, int depth) {
        if (descriptor.length() == 1 || IMMUTABLE.contains(descriptor)) {
            return true;
        }
        if (descriptor.charAt(0) != 'L' || depth > 3) {
            return false; // an array, or a record nested too deep to judge
        }
        String type = descriptor.substring(1, descriptor.length() - 1);
        Entry t = jdk(type) ? null : entry(loader, type, null);
        if (t == null) {
            return false;
        }
        if ((t.shape.access() & Opcodes.ACC_ENUM) != 0) {
            return true;
        }
        if (!"java/lang/Record".equals(t.shape.superName())) {
            return false;
        }
        for (Map.Entry<String, Integer> f : t.shape.fields().entrySet()) {
            int access = f.getValue();
            if ((access & Opcodes.ACC_STATIC) != 0) {
                continue;
            }
            String d = f.getKey().substring(f.getKey().indexOf(':') + 1);
            if ((access & Opcodes.ACC_FINAL) == 0 || !immutable(loader, d, depth + 1)) {
                return false;
            }
        }
        return true;
    }

    /** The entries this thread is reading, not yet published (a class's expressions may name the class). */
    private final ThreadLocal<Map<String, Entry>> building = ThreadLocal.withInitial(java.util.HashMap::new);

    /** The class file whose guards this thread is adding (a getter in it is read from these bytes, not its resource). */
    private final ThreadLocal<byte[]> buildingBytes = new ThreadLocal<>();

    private void add(ClassLoader loader, Entry e, GuardIndex.Guard g) {
        boolean field = g.kind() == GuardIndex.Kind.GUARDED_FIELD;
        if (field && (e.shape.isInterface() || g.isFinal() && immutable(loader, g.descriptor(), 0))) {
            // a final field of an immutable type is exempt (interface fields are final); a final
            // field holding a mutable object (@GuardedBy("lock") final Map<K, V> map), the most
            // common use of the annotation, is checked at every read, as JCIP and Error Prone have it
            return;
        }
        String annotation = g.flavour().display;
        String member = g.member();
        if (g.kind() == GuardIndex.Kind.RELEASES_NO_LOCKS || g.kind() == GuardIndex.Kind.LOCKING_FREE) {
            GuardRule.Kind k = g.kind() == GuardIndex.Kind.LOCKING_FREE
                    ? GuardRule.Kind.LOCKING_FREE
                    : GuardRule.Kind.RELEASES_NO_LOCKS;
            int rule = GuardHooks.register(new GuardRule(k, member, "", annotation));
            e.methods.putIfAbsent(g.name() + ":" + g.descriptor(), new Member(g, new int[] {rule}, new LockCode[0]));
            return;
        }
        List<Integer> rules = new ArrayList<>();
        List<LockCode> locks = new ArrayList<>();
        for (GuardExpression x : g.locks()) {
            try {
                LockCode code = resolve(loader, e.shape, g, x);
                locks.add(code);
                rules.add(GuardHooks.register(new GuardRule(
                        field ? GuardRule.Kind.FIELD : GuardRule.Kind.HOLDING,
                        member,
                        x.text(),
                        annotation,
                        code.declaration())));
            } catch (GuardExpression.Unsupported u) {
                e.problems.add("guard: " + member + ": " + u.getMessage());
            }
        }
        if (locks.isEmpty()) {
            return;
        }
        int[] numbers = new int[rules.size()];
        for (int i = 0; i < numbers.length; i++) {
            numbers[i] = rules.get(i);
        }
        Member m = new Member(g, numbers, locks.toArray(new LockCode[0]));
        (field ? e.fields : e.methods).putIfAbsent(g.name() + ":" + g.descriptor(), m);
    }

    /** Resolves {@code x} in {@code owner}, the class of member {@code g}. */
    private LockCode resolve(ClassLoader loader, GuardIndex.Shape owner, GuardIndex.Guard g, GuardExpression x)
            throws GuardExpression.Unsupported {
        boolean isStatic = g.isStatic();
        LockCode code = switch (x.form()) {
            case THIS -> new LockCode(LockCode.Form.THIS, isStatic ? owner.name() : null, null, null);
            case ITSELF -> {
                if (g.kind() != GuardIndex.Kind.GUARDED_FIELD || g.descriptor().length() == 1) {
                    throw new GuardExpression.Unsupported(x.text(), "'itself' names a field's own object");
                }
                yield new LockCode(LockCode.Form.ITSELF, null, null, null);
            }
            case FIELD -> field(loader, owner, x.member(), x, false);
            case METHOD -> method(loader, owner, x);
            case CLASS_LITERAL -> new LockCode(LockCode.Form.CLASS, type(loader, owner, x.type(), x), null, null);
            case STATIC_FIELD -> {
                String type = type(loader, owner, x.type(), x);
                Entry t = entry(loader, type, null);
                if (t == null) {
                    throw new GuardExpression.Unsupported(
                            x.text(),
                            "cannot read " + type.replace('/', '.') + ", a JDK class or one without a class file");
                }
                yield field(loader, t.shape, x.member(), x, true);
            }
        };
        if (isStatic && code.needsInstance()) {
            throw new GuardExpression.Unsupported(
                    x.text(), "an instance member cannot guard the static member " + g.member());
        }
        return code;
    }

    /** A field {@code name} of {@code start} or a superclass, read where it is declared. */
    private LockCode field(
            ClassLoader loader, GuardIndex.Shape start, String name, GuardExpression x, boolean mustBeStatic)
            throws GuardExpression.Unsupported {
        for (GuardIndex.Shape s = start; s != null; s = superShape(loader, s)) {
            for (Map.Entry<String, Integer> f : s.fields().entrySet()) {
                String key = f.getKey();
                if (!key.startsWith(name + ":")) {
                    continue;
                }
                String desc = key.substring(name.length() + 1);
                if (desc.charAt(0) != 'L' && desc.charAt(0) != '[') {
                    throw new GuardExpression.Unsupported(
                            x.text(),
                            "'" + name + "' is of type " + Type.getType(desc).getClassName() + ", not a lock");
                }
                privateInSuperclass(s, start, f.getValue(), x);
                boolean isStatic = (f.getValue() & Opcodes.ACC_STATIC) != 0;
                if (mustBeStatic && !isStatic) {
                    throw new GuardExpression.Unsupported(x.text(), "'" + name + "' is not a static field");
                }
                return new LockCode(isStatic ? LockCode.Form.GETSTATIC : LockCode.Form.GETFIELD, s.name(), name, desc);
            }
        }
        throw new GuardExpression.Unsupported(
                x.text(), "no field '" + name + "' in " + start.name().replace('/', '.') + " or its superclasses");
    }

    /** A private member of a superclass: the member's class cannot read it (nor could its source). */
    private static void privateInSuperclass(
            GuardIndex.Shape declaring, GuardIndex.Shape start, int access, GuardExpression x)
            throws GuardExpression.Unsupported {
        if (declaring != start && (access & Opcodes.ACC_PRIVATE) != 0) {
            throw new GuardExpression.Unsupported(
                    x.text(),
                    "it is private in the superclass " + declaring.name().replace('/', '.'));
        }
    }

    /**
     * A method {@code name()} returning an object, in the owner or a superclass, read as the field
     * its body returns: the agent checks a lock at every access of the field it guards, while the
     * application may hold its own locks, so it never runs the application's method (a synchronized
     * getter would deadlock a correct program or put the agent's call in the graph; a getter with a
     * side effect would run again at each access, one that throws would make the access throw).
     * A method whose body is anything but a plain field read is refused, with the reason.
     */
    private LockCode method(ClassLoader loader, GuardIndex.Shape owner, GuardExpression x)
            throws GuardExpression.Unsupported {
        String prefix = x.member() + ":()";
        for (GuardIndex.Shape s = owner; s != null; s = superShape(loader, s)) {
            for (Map.Entry<String, Integer> m : s.methods().entrySet()) {
                if (!m.getKey().startsWith(prefix)) {
                    continue;
                }
                String desc = m.getKey().substring(x.member().length() + 1);
                char ret = desc.charAt(2);
                if (ret != 'L' && ret != '[') {
                    throw new GuardExpression.Unsupported(x.text(), "'" + x.member() + "()' does not return a lock");
                }
                privateInSuperclass(s, owner, m.getValue(), x);
                return getterField(loader, owner, s, desc, x);
            }
        }
        throw new GuardExpression.Unsupported(
                x.text(),
                "no method '" + x.member() + "()' in " + owner.name().replace('/', '.') + " or its superclasses");
    }

    /** The field {@code x.member()} of {@code declaring} returns, read in the member's class {@code owner}. */
    private LockCode getterField(
            ClassLoader loader, GuardIndex.Shape owner, GuardIndex.Shape declaring, String desc, GuardExpression x)
            throws GuardExpression.Unsupported {
        byte[] b = buildingBytes.get();
        if (b == null || !declaring.name().equals(new net.bytebuddy.jar.asm.ClassReader(b).getClassName())) {
            b = read(loader, declaring.name());
        }
        GetterIndex.FieldRead read = b == null ? null : GetterIndex.fieldRead(b, x.member(), desc);
        String method = declaring.name().replace('/', '.') + "." + x.member() + "()";
        if (read == null) {
            throw new GuardExpression.Unsupported(x.text(), "cannot read the body of " + method);
        }
        if (read.refusal() != null) {
            throw new GuardExpression.Unsupported(
                    x.text(),
                    method + " is not read as a field: " + read.refusal()
                            + "; the agent never calls application code (name the field instead)");
        }
        Entry fieldClass = entry(loader, read.owner(), null);
        if (fieldClass == null) {
            throw new GuardExpression.Unsupported(
                    x.text(), "cannot read " + read.owner().replace('/', '.') + ", the class of the field it returns");
        }
        LockCode code = field(loader, fieldClass.shape, read.name(), x, read.isStatic());
        if (!code.owner().equals(owner.name()) && privateField(loader, code.owner(), read.name())) {
            throw new GuardExpression.Unsupported(
                    x.text(),
                    method + " returns the private field " + code.owner().replace('/', '.') + "." + read.name()
                            + ", which " + owner.name().replace('/', '.') + " cannot read");
        }
        return code;
    }

    private boolean privateField(ClassLoader loader, String declaring, String name) {
        Entry e = entry(loader, declaring, null);
        if (e == null) {
            return true;
        }
        for (Map.Entry<String, Integer> f : e.shape.fields().entrySet()) {
            if (f.getKey().startsWith(name + ":")) {
                return (f.getValue() & Opcodes.ACC_PRIVATE) != 0;
            }
        }
        return true;
    }

    /**
     * The class a lock expression names, as Java resolves a name in the member's class: the class
     * itself or a class enclosing it, a member class of either, a class of the same package, of
     * {@code java.lang}, or a qualified name (nested classes too: {@code a.b.Outer.Inner}).
     */
    private String type(ClassLoader loader, GuardIndex.Shape owner, String written, GuardExpression x)
            throws GuardExpression.Unsupported {
        String[] parts = written.split("\\.");
        String first = simple(loader, owner, parts[0]);
        if (first != null) {
            String nested = first;
            for (int i = 1; i < parts.length && nested != null; i++) {
                nested = exists(loader, nested + "$" + parts[i]) ? nested + "$" + parts[i] : null;
            }
            if (nested != null) {
                return nested;
            }
        }
        for (int k = parts.length; k >= 2; k--) { // a.b.C, then a.b.C$D...
            StringBuilder b = new StringBuilder();
            for (int i = 0; i < parts.length; i++) {
                b.append(i == 0 ? "" : i < k ? "/" : "$").append(parts[i]);
            }
            if (exists(loader, b.toString())) {
                return b.toString();
            }
        }
        throw new GuardExpression.Unsupported(
                x.text(),
                "no class '" + written + "' is visible from " + owner.name().replace('/', '.'));
    }

    /** A simple class name seen from {@code owner}, or null. */
    private String simple(ClassLoader loader, GuardIndex.Shape owner, String name) {
        for (GuardIndex.Shape s = owner; s != null; ) {
            if (simpleName(s.name()).equals(name)) {
                return s.name();
            }
            String member = s.memberClasses().get(name);
            if (member != null) {
                return member;
            }
            Entry outer = s.outer() == null ? null : entry(loader, s.outer(), null);
            s = outer == null ? null : outer.shape;
        }
        int slash = owner.name().lastIndexOf('/');
        String same = slash < 0 ? name : owner.name().substring(0, slash + 1) + name;
        if (exists(loader, same)) {
            return same;
        }
        return exists(loader, "java/lang/" + name) ? "java/lang/" + name : null;
    }

    private static String simpleName(String internal) {
        String n = internal.substring(internal.lastIndexOf('/') + 1);
        return n.substring(n.lastIndexOf('$') + 1);
    }

    private boolean exists(ClassLoader loader, String name) {
        if (name.startsWith("java/")) {
            return ClassLoader.getSystemResource(name + ".class") != null;
        }
        return entry(loader, name, null) != null;
    }

    private GuardIndex.Shape superShape(ClassLoader loader, GuardIndex.Shape s) {
        String sup = s.superName();
        if (sup == null || sup.equals(OBJECT) || jdk(sup)) {
            return null;
        }
        Entry e = entry(loader, sup, null);
        return e == null ? null : e.shape;
    }

    /**
     * The contract of the field that {@code owner.name:descriptor} (a field reference in some
     * class) resolves to, in {@code owner} or a superclass, as the JVM resolves it; null when the
     * field is not guarded, or its classes cannot be read.
     */
    Member field(ClassLoader loader, String owner, String name, String descriptor) {
        String key = name + ":" + descriptor;
        for (String c = owner; c != null && !jdk(c); ) {
            Entry e = entry(loader, c, null);
            if (e == null) {
                return null;
            }
            if (e.shape.fields().containsKey(key)) {
                return e.fields.get(key);
            }
            c = e.shape.superName();
        }
        return null;
    }

    /** A JDK class: never read, never has contracts. */
    static boolean jdk(String internalName) {
        return internalName.startsWith("java/")
                || internalName.startsWith("javax/")
                || internalName.startsWith("jdk/")
                || internalName.startsWith("sun/")
                || internalName.startsWith("com/sun/");
    }

    private static byte[] read(ClassLoader loader, String name) {
        if (loader == null || jdk(name)) {
            return null;
        }
        try (InputStream in = loader.getResourceAsStream(name + ".class")) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException | RuntimeException e) {
            return null; // not readable: its fields are not checked (the class is read again when it is defined)
        }
    }
}
