package io.jlockdep.agent.report;

/**
 * How error messages show what the user wrote: quoted, with every character a terminal would act
 * on or hide (control characters, CR, line and paragraph separators, a byte-order mark, lone
 * surrogates, other invisible format characters) as a {@code \}{@code uXXXX} escape, and cut
 * after {@value #MAX} characters with the length said, so one bad token never floods a log.
 */
public final class Echo {

    /** The longest piece of user input echoed whole. */
    public static final int MAX = 80;

    private Echo() {}

    /** {@code text} quoted, escaped and cut as the class says. */
    public static String quote(String text) {
        if (text == null) {
            return "(none)";
        }
        int n = Math.min(text.length(), MAX);
        StringBuilder b = new StringBuilder(n + 16).append('\'');
        io.jlockdep.api.Printable.append(b, text, 0, n);
        b.append('\'');
        if (text.length() > n) {
            b.append("... (").append(text.length()).append(" characters)");
        }
        return b.toString();
    }
}
