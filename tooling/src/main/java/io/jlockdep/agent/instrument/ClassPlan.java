package io.jlockdep.agent.instrument;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import net.bytebuddy.jar.asm.Type;

/**
 * What {@link PlanTransformer} does to one class, named by its binary name: for each method that
 * matches, a {@link Patch}. The first matching entry wins. Built once at start-up by the
 * {@link LockFamily lock families}.
 */
final class ClassPlan {

    /** Matches a method by name and, optionally, by its parameters. */
    record MethodMatch(Set<String> names, int argumentCount, Set<String> parameters) {

        /** Any method named one of {@code names}, whatever its parameters. */
        static MethodMatch named(String... names) {
            return new MethodMatch(Set.of(names), -1, null);
        }

        /** A method named one of {@code names} that takes {@code count} arguments. */
        static MethodMatch named(int count, String... names) {
            return new MethodMatch(Set.of(names), count, null);
        }

        /**
         * A method named {@code name} whose parameter list (the descriptor's part in parentheses,
         * as in {@code "(JLjava/util/concurrent/TimeUnit;)"}) is one of {@code parameters}.
         */
        static MethodMatch withParameters(String name, String... parameters) {
            return new MethodMatch(Set.of(name), -1, Set.of(parameters));
        }

        /** The constructors. */
        static MethodMatch constructors() {
            return named("<init>");
        }

        boolean matches(String name, String descriptor) {
            if (!names.contains(name)) {
                return false;
            }
            if (parameters != null) {
                return parameters.contains(descriptor.substring(0, descriptor.indexOf(')') + 1));
            }
            return argumentCount < 0 || Type.getArgumentTypes(descriptor).length == argumentCount;
        }
    }

    private record Entry(MethodMatch match, Patch patch) {}

    private final String className;
    private final List<Entry> entries = new ArrayList<>();

    ClassPlan(String className) {
        this.className = className;
    }

    /** The class's binary name ({@code java.util.concurrent.locks.ReentrantLock}). */
    String className() {
        return className;
    }

    /** Adds a patch for the methods {@code match} selects. */
    ClassPlan on(MethodMatch match, Patch patch) {
        entries.add(new Entry(match, patch));
        return this;
    }

    /** The patch for a method, or null. Abstract and native methods have no code and get none. */
    Patch patchFor(int access, String name, String descriptor) {
        if ((access & (net.bytebuddy.jar.asm.Opcodes.ACC_ABSTRACT | net.bytebuddy.jar.asm.Opcodes.ACC_NATIVE)) != 0) {
            return null;
        }
        for (Entry e : entries) {
            if (e.match.matches(name, descriptor)) {
                return e.patch;
            }
        }
        return null;
    }

    /** Every patch of the plan (for tests). */
    List<Patch> patches() {
        List<Patch> result = new ArrayList<>();
        for (Entry e : entries) {
            result.add(e.patch);
        }
        return result;
    }

    /** Whether some patch keeps the enter hook's result in a new local (the transformer then needs max_locals first). */
    boolean keepsEntered() {
        for (Entry e : entries) {
            if (e.patch.keepsEntered()) {
                return true;
            }
        }
        return false;
    }
}
