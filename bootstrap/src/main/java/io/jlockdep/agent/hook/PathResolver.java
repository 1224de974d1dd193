package io.jlockdep.agent.hook;

import io.jlockdep.agent.spec.LockPath;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * Follows a {@link LockPath} from a call's root object to the lock. Each step is a field getter
 * handle looked up once per runtime class (a {@link ClassValue}), so a call costs a class-value
 * lookup and a handle invocation per step: no reflection, no allocation.
 *
 * <p>The agent never runs application code to find a lock: the application may hold its own
 * locks here, and a getter that takes one (a {@code synchronized} getter) would deadlock it or
 * put the agent's own acquisition into the graph. A method step is therefore evaluated as the
 * field its body returns, when the installer ({@link Getters}) found the body to be a plain field getter;
 * any other method is refused for that class, once, with a notice naming the rule, the class,
 * the method and the reason, and the rule is not checked there.
 */
final class PathResolver {

    private static final MethodHandle MISSING = MethodHandles.constant(Object.class, null);
    private final LockPath path;
    private final ClassValue<MethodHandle>[] steps;

    /** A step's getter for the first class it met: the class-value lookup skipped while it is that class. */
    private record First(Class<?> type, MethodHandle handle) {}

    /**
     * Per step, the first class met and its getter (a monomorphic inline cache): written once, read
     * on every call. Every rule has class values of its own on the same few classes (the dma-buf
     * spec's 21 rules walk {@code attach->dmabuf->resv}), and a class's class-value cache then
     * misses and probes its backup locations: a quarter of the importer loop's time.
     */
    private final First[] first;

    /**
     * @param rule what the notice of a refused step names (the rule's ID)
     * @param getters which methods are plain field getters
     */
    @SuppressWarnings("unchecked")
    PathResolver(LockPath path, String rule, Getters getters) {
        this.path = path;
        this.steps = new ClassValue[path.steps().size()];
        this.first = new First[steps.length];
        for (int i = 0; i < steps.length; i++) {
            String member = path.steps().get(i);
            boolean method = path.isMethod().get(i);
            steps[i] = new ClassValue<>() {
                @Override
                protected MethodHandle computeValue(Class<?> type) {
                    if (!method) {
                        return fieldGetter(type, member);
                    }
                    Method m = findMethod(type, member);
                    if (m == null) {
                        return MISSING; // no such method: nothing to check (reported at class load)
                    }
                    Getters.Verdict v = getters.verdict(m.getDeclaringClass(), member);
                    if (v != null && v.isGetter()) {
                        return returnedField(m.getDeclaringClass(), v);
                    }
                    String refusal = v == null
                            ? "of " + m.getDeclaringClass().getName() + " was loaded before the agent could read it"
                            : v.refusal();
                    io.jlockdep.agent.engine.Lockdep e = Hooks.engine();
                    if (e != null) {
                        e.addNotice("spec rule " + rule + ": lock path '" + path.text() + "' is not evaluated on "
                                + type.getName() + ": " + member + "() " + refusal
                                + "; the agent only reads fields to find"
                                + " a lock (calling application code could take the application's locks), so the rule is"
                                + " not checked for " + type.getName() + ". Name the field in the path instead.");
                    }
                    return MISSING;
                }
            };
        }
    }

    /** The handle that reads the field a plain getter declared in {@code owner} returns. */
    private static MethodHandle returnedField(Class<?> owner, Getters.Verdict getter) {
        for (Class<?> c = owner; c != null; c = c.getSuperclass()) {
            if (c.getName().equals(getter.fieldOwner())) {
                return fieldGetter(c, getter.field());
            }
        }
        return MISSING;
    }

    LockPath path() {
        return path;
    }

    /** The lock reached from {@code root}, or null when a step yields null or does not exist. */
    Object resolve(Object root) {
        Object value = root;
        for (int i = 0; i < steps.length; i++) {
            if (value == null) {
                return null;
            }
            Class<?> type = value.getClass();
            First known = first[i];
            MethodHandle handle;
            if (known != null && known.type == type) {
                handle = known.handle;
            } else {
                handle = steps[i].get(type);
                if (known == null) {
                    first[i] = new First(type, handle); // a racing writer stores an equal pair
                }
            }
            if (handle == MISSING) {
                return null;
            }
            try {
                value = (Object) handle.invokeExact(value);
            } catch (Throwable e) {
                return null;
            }
        }
        return value;
    }

    /** The getter of the instance field {@code member} of {@code type} (or a superclass), or MISSING. */
    private static MethodHandle fieldGetter(Class<?> type, String member) {
        Field f = findField(type, member);
        if (f == null) {
            return MISSING;
        }
        try {
            f.setAccessible(true);
            return MethodHandles.lookup().unreflectGetter(f).asType(MethodType.methodType(Object.class, Object.class));
        } catch (ReflectiveOperationException | RuntimeException e) {
            return MISSING;
        }
    }

    private static Method findMethod(Class<?> type, String name) {
        try {
            Method m = type.getMethod(name);
            if (!Modifier.isStatic(m.getModifiers()) && m.getReturnType() != void.class) {
                return m;
            }
        } catch (NoSuchMethodException e) {
            // fall through to declared methods
        }
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.getName().equals(name)
                        && m.getParameterCount() == 0
                        && !Modifier.isStatic(m.getModifiers())
                        && m.getReturnType() != void.class) {
                    return m;
                }
            }
        }
        return null;
    }

    private static Field findField(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Field f : c.getDeclaredFields()) {
                if (f.getName().equals(name) && !Modifier.isStatic(f.getModifiers())) {
                    return f;
                }
            }
        }
        return null;
    }
}
