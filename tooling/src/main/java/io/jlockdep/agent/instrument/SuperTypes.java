package io.jlockdep.agent.instrument;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.WeakHashMap;
import net.bytebuddy.jar.asm.ClassReader;

/**
 * Which of a set of types (the callback rules' interfaces) a class being loaded is, extends or
 * implements, read from class files without loading any class: the class's own bytes, then each
 * super type's class file as a resource of the same loader, as a type pool does. Answers are
 * bit masks, one bit per type, cached per class loader. JDK types are not read unless one of the
 * types is a JDK type.
 */
final class SuperTypes {

    private final Map<String, Long> bits = new HashMap<>();
    private final boolean jdkTypes;
    private final Map<ClassLoader, Map<String, Long>> cache = new WeakHashMap<>();

    /** @param types binary names, at most 64 */
    SuperTypes(Collection<String> types) {
        if (types.size() > Long.SIZE) {
            throw new IllegalArgumentException(
                    "callback rules name " + types.size() + " types; at most 64 are supported");
        }
        boolean jdk = false;
        for (String t : types) {
            String internal = t.replace('.', '/');
            bits.put(internal, 1L << bits.size());
            jdk |= isJdk(internal);
        }
        this.jdkTypes = jdk;
    }

    /** The bit of a type, by binary name (0 if it is not one of the types). */
    long bit(String binaryName) {
        Long b = bits.get(binaryName.replace('.', '/'));
        return b == null ? 0 : b;
    }

    /** Whether there are no types at all (no callback rule): nothing needs reading. */
    boolean isEmpty() {
        return bits.isEmpty();
    }

    /** Per class loader: whether it sees any of the types at all (else none of its classes can have them). */
    private final Map<ClassLoader, Boolean> sees = new WeakHashMap<>();

    /**
     * Whether {@code loader} can see one of the types: a loader that cannot (an application without
     * the dma-buf runtime on its class path) defines no class that implements them, and its classes
     * cost one lookup per loader instead of reading their super types.
     */
    private boolean seesAny(ClassLoader loader) {
        synchronized (sees) {
            Boolean known = sees.get(loader);
            if (known != null) {
                return known;
            }
        }
        boolean any = false;
        for (String type : bits.keySet()) {
            if (loader == null
                    ? ClassLoader.getSystemResource(type + ".class") != null
                    : loader.getResource(type + ".class") != null) {
                any = true;
                break;
            }
        }
        synchronized (sees) {
            sees.put(loader, any);
        }
        return any;
    }

    /** The types that the class in {@code classFile}, defined by {@code loader}, is or has as super types. */
    long of(ClassLoader loader, byte[] classFile) {
        if (!seesAny(loader)) {
            return 0;
        }
        ClassReader reader = new ClassReader(classFile);
        Long own = bits.get(reader.getClassName());
        long mask = own == null ? 0 : own;
        mask |= resolve(loader, reader.getSuperName(), 0);
        for (String itf : reader.getInterfaces()) {
            mask |= resolve(loader, itf, 0);
        }
        return mask;
    }

    private long resolve(ClassLoader loader, String name, int depth) {
        if (name == null || depth > 100) {
            return 0;
        }
        Map<String, Long> known;
        synchronized (cache) {
            known = cache.get(loader);
            if (known == null) {
                known = new HashMap<>();
                cache.put(loader, known);
            }
        }
        synchronized (known) {
            Long cached = known.get(name);
            if (cached != null) {
                return cached;
            }
        }
        Long own = bits.get(name);
        long mask = own == null ? 0 : own;
        if (jdkTypes || !isJdk(name)) {
            byte[] bytes = read(loader, name);
            if (bytes != null) {
                ClassReader reader = new ClassReader(bytes);
                mask |= resolve(loader, reader.getSuperName(), depth + 1);
                for (String itf : reader.getInterfaces()) {
                    mask |= resolve(loader, itf, depth + 1);
                }
            }
        }
        synchronized (known) {
            known.put(name, mask);
        }
        return mask;
    }

    private static boolean isJdk(String internalName) {
        return internalName.startsWith("java/")
                || internalName.startsWith("javax/")
                || internalName.startsWith("jdk/")
                || internalName.startsWith("sun/")
                || internalName.startsWith("com/sun/");
    }

    /** A class file as a resource of {@code loader} (the system loader for the boot loader), or null. */
    private static byte[] read(ClassLoader loader, String internalName) {
        String resource = internalName + ".class";
        try (InputStream in = loader == null
                ? ClassLoader.getSystemResourceAsStream(resource)
                : loader.getResourceAsStream(resource)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException | RuntimeException e) {
            return null; // an unreadable super type matches nothing beyond itself
        }
    }
}
