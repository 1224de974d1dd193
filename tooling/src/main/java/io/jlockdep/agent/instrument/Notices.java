package io.jlockdep.agent.instrument;

import io.jlockdep.agent.engine.Lockdep;

/**
 * Where the transformers record a class they left uninstrumented: the report's
 * {@code notices[]}, printed once unless {@code quiet} (a generated class, which a code generator
 * makes by the thousand).
 */
@FunctionalInterface
interface Notices {

    void notice(String text, boolean quiet);

    /** The engine's notices. */
    static Notices of(Lockdep engine) {
        return (text, quiet) -> {
            if (quiet) {
                engine.addQuietNotice(text);
            } else {
                engine.addNotice(text);
            }
        };
    }

    /** Records that {@code className} (binary name) was left as it was, because of {@code error}. */
    default void uninstrumented(String className, Throwable error) {
        notice("cannot instrument " + className + ", left uninstrumented: " + error, generated(className));
    }

    /** Whether a class name is one a code generator made (proxies, enhancers). */
    static boolean generated(String name) {
        return name.contains("$$")
                || name.contains("$Proxy")
                || name.contains("CGLIB")
                || name.contains("$ByteBuddy$")
                || name.contains("$HibernateProxy$");
    }
}
