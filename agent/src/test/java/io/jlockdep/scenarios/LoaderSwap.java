package io.jlockdep.scenarios;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * A guarded field's class defined from other bytes than its loader's resource (issue 18's
 * adversarial case): the agent reads {@link SwapReal}'s class file, with its {@code @GuardedBy},
 * when {@link SwapUser} is defined, but the loader defines {@code SwapReal} from
 * {@link SwapFake}'s bytes, which have no annotation, so it never gets its accessor. The access
 * must neither throw nor be checked against a lock it cannot reach. Top-level classes: no nest
 * to span two loaders.
 */
final class LoaderSwap {

    private LoaderSwap() {}

    private static final String REAL = SwapReal.class.getName();
    private static final String USER = SwapUser.class.getName();

    /** Defines {@code User} itself, and {@code Real} from {@code Fake}'s bytes; serves resources as its parent. */
    private static final class Swapping extends ClassLoader {
        Swapping(ClassLoader parent) {
            super(parent);
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (!name.equals(REAL) && !name.equals(USER)) {
                return super.loadClass(name, resolve);
            }
            synchronized (getClassLoadingLock(name)) {
                Class<?> c = findLoadedClass(name);
                if (c == null) {
                    byte[] b = bytes(name.equals(REAL) ? SwapFake.class.getName() : name);
                    if (name.equals(REAL)) {
                        String text = new String(b, StandardCharsets.ISO_8859_1).replace("Fake", "Real");
                        b = text.getBytes(StandardCharsets.ISO_8859_1);
                    }
                    c = defineClass(name, b, 0, b.length, LoaderSwap.class.getProtectionDomain());
                }
                return c;
            }
        }

        private byte[] bytes(String name) throws ClassNotFoundException {
            try (InputStream in = getParent().getResourceAsStream(name.replace('.', '/') + ".class")) {
                if (in == null) {
                    throw new ClassNotFoundException(name);
                }
                return in.readAllBytes();
            } catch (IOException e) {
                throw new ClassNotFoundException(name, e);
            }
        }
    }

    static void run() {
        try {
            Class<?> user = new Swapping(LoaderSwap.class.getClassLoader()).loadClass(USER);
            java.lang.reflect.Method touch = user.getDeclaredMethod("touch");
            touch.setAccessible(true);
            Object n = touch.invoke(null);
            System.out.println("touched " + n);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}

final class SwapReal {
    final Object lock = new Object();

    @javax.annotation.concurrent.GuardedBy("lock")
    int count;
}

final class SwapFake { // the same shape, no contract; SwapFake and SwapReal have one length
    final Object lock = new Object();

    int count;
}

final class SwapUser {
    @SuppressWarnings("GuardedBy") // unlocked: it would be reported, were Real's contract reachable
    static int touch() {
        SwapReal r = new SwapReal();
        return ++r.count;
    }
}
