package io.jlockdep.agent.instrument;

import io.jlockdep.agent.spec.LockPath;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;

/**
 * Follows a {@link LockPath} from a call's root object to the lock. Each step is a method handle
 * looked up once per runtime class (a {@link ClassValue}), so a call costs a class-value lookup
 * and a handle invocation per step: no reflection, no allocation.
 */
final class PathResolver {

    private static final MethodHandle MISSING = MethodHandles.constant(Object.class, null);
    private final LockPath path;
    private final ClassValue<MethodHandle>[] steps;

    @SuppressWarnings("unchecked")
    PathResolver(LockPath path) {
        this.path = path;
        this.steps = new ClassValue[path.steps().size()];
        for (int i = 0; i < steps.length; i++) {
            String member = path.steps().get(i);
            boolean method = path.isMethod().get(i);
            steps[i] = new ClassValue<>() {
                @Override
                protected MethodHandle computeValue(Class<?> type) {
                    return lookup(type, member, method);
                }
            };
        }
    }

    LockPath path() {
        return path;
    }

    /** The lock reached from {@code root}, or null when a step yields null or does not exist. */
    Object resolve(Object root) {
        Object value = root;
        for (ClassValue<MethodHandle> step : steps) {
            if (value == null) {
                return null;
            }
            MethodHandle handle = step.get(value.getClass());
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

    /** Whether {@code type} has every step (for the start-up check). */
    static MethodHandle lookup(Class<?> type, String member, boolean method) {
        try {
            MethodHandle h;
            if (method) {
                Method m = findMethod(type, member);
                if (m == null) {
                    return MISSING;
                }
                m.setAccessible(true);
                h = MethodHandles.lookup().unreflect(m);
            } else {
                Field f = findField(type, member);
                if (f == null) {
                    return MISSING;
                }
                f.setAccessible(true);
                h = MethodHandles.lookup().unreflectGetter(f);
            }
            return h.asType(MethodType.methodType(Object.class, Object.class));
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
                if (m.getName().equals(name) && m.getParameterCount() == 0 && !Modifier.isStatic(m.getModifiers())
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
