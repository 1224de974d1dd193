package io.jlockdep.agent.instrument;

import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.util.List;

/**
 * Which classes have their lock contracts checked (option {@code guards}): by default
 * ({@code on}) the classes loaded from a directory, which is where a build puts the code it
 * compiles and tests ({@code target/classes}, {@code target/test-classes}), not the libraries it
 * depends on: a library's annotations are its own authors' contracts, which they may break on
 * purpose and tell their static checker so in source ({@code @SuppressWarnings("GuardedBy")}, which
 * no class file keeps). {@code all}: every application class, libraries too; a list of package
 * prefixes: the classes in those packages, wherever they come from; {@code off}: none.
 *
 * <p>A class outside the scope still has its contracts read (a checked class may touch its guarded
 * fields) and its accessors added; only its own code goes unchecked.
 */
record GuardScope(Mode mode, List<String> packages) {

    /** The kinds of scope. */
    enum Mode {
        OFF,
        DIRECTORIES,
        ALL,
        PACKAGES
    }

    static final GuardScope DEFAULT = new GuardScope(Mode.DIRECTORIES, List.of());

    /**
     * Parses the option's value: {@code on}, {@code off}, {@code all} or package prefixes
     * separated by {@code ;} ({@code com.example;org.acme.cache}), each with a dot (so that a
     * mistyped word is refused, not taken for a package).
     *
     * @throws IllegalArgumentException naming what is wrong
     */
    static GuardScope parse(String value) {
        switch (value) {
            case "on":
                return DEFAULT;
            case "off":
                return new GuardScope(Mode.OFF, List.of());
            case "all":
                return new GuardScope(Mode.ALL, List.of());
            default:
                List<String> packages = new java.util.ArrayList<>();
                for (String p : value.split(";", -1)) {
                    String name = p.trim();
                    if (!GuardExpression.qualifiedName(name) || name.indexOf('.') < 0) {
                        // a dot required: guards=yes must not pass for a package called yes
                        throw new IllegalArgumentException("bad value " + io.jlockdep.agent.report.Echo.quote(value)
                                + " for option 'guards' (expected on, off, all, or package names with a dot such"
                                + " as com.example;org.acme.cache, separated by ;)");
                    }
                    packages.add(name + ".");
                }
                return new GuardScope(Mode.PACKAGES, List.copyOf(packages));
        }
    }

    /** Whether the code of {@code className} (internal name), defined in {@code domain}, is checked. */
    boolean checks(String className, ProtectionDomain domain) {
        switch (mode) {
            case ALL:
                return true;
            case PACKAGES:
                String dotted = className.replace('/', '.');
                for (String p : packages) {
                    if (dotted.startsWith(p)) {
                        return true;
                    }
                }
                return false;
            case DIRECTORIES:
                CodeSource source = domain == null ? null : domain.getCodeSource();
                java.net.URL at = source == null ? null : source.getLocation();
                return at != null
                        && "file".equals(at.getProtocol())
                        && at.getPath().endsWith("/");
            default:
                return false;
        }
    }
}
