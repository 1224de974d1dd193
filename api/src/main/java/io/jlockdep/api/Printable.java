package io.jlockdep.api;

/**
 * What the agent prints of text it did not write (thread names, lock expressions, spec and option
 * text), made safe for a terminal and a log: every character a terminal would act on or hide
 * (control characters, CR and LF, line and paragraph separators, a byte-order mark and other
 * invisible format characters, lone surrogates) as a {@code \}{@code uXXXX} escape, so that a
 * thread named {@code "x\n[main] INFO ..."} cannot forge a log line. The agent's: its engine uses
 * it for every message and notice, {@link TextReport} for what it prints, and its error messages
 * for what they quote; applications have no use for it.
 */
public final class Printable {

    private Printable() {}

    /**
     * Escapes what a terminal would act on or hide.
     *
     * @param text any text, or null
     * @return {@code text} with the characters the class names escaped (the same string when it has
     *     none), or null for null
     */
    public static String escape(String text) {
        return escape(text, false);
    }

    /**
     * Escapes lone surrogates only, which no UTF-8 encoder can write (a thread named by a program,
     * kept as a JSON escape in a report, then rendered to a file).
     *
     * @param text any text, or null
     * @return {@code text} with every lone surrogate as {@code \}{@code uXXXX} (the same string when
     *     it has none), or null for null
     */
    public static String escapeLoneSurrogates(String text) {
        return escape(text, true);
    }

    private static String escape(String text, boolean surrogatesOnly) {
        if (text == null) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            if (needsEscape(text, i, surrogatesOnly)) {
                StringBuilder b = new StringBuilder(text.length() + 16).append(text, 0, i);
                append(b, text, i, text.length(), surrogatesOnly);
                return b.toString();
            }
        }
        return text;
    }

    /**
     * Appends part of a text, escaped; a surrogate pair split at {@code to} is escaped.
     *
     * @param b where to append
     * @param text the text
     * @param from the first index appended
     * @param to the index after the last one appended
     */
    public static void append(StringBuilder b, String text, int from, int to) {
        append(b, text, from, to, false);
    }

    private static void append(StringBuilder b, String text, int from, int to, boolean surrogatesOnly) {
        for (int i = from; i < to; i++) {
            char c = text.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(text.charAt(i + 1))) {
                b.append(c).append(text.charAt(++i));
            } else if (needsEscape(text, i, surrogatesOnly)) {
                b.append(String.format("\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
    }

    private static boolean needsEscape(String text, int i, boolean surrogatesOnly) {
        char c = text.charAt(i);
        if (Character.isHighSurrogate(c)) {
            return i + 1 >= text.length() || !Character.isLowSurrogate(text.charAt(i + 1));
        }
        if (Character.isLowSurrogate(c)) {
            return i == 0 || !Character.isHighSurrogate(text.charAt(i - 1));
        }
        if (surrogatesOnly) {
            return false;
        }
        int type = Character.getType(c);
        return c < 0x20
                || c == 0x7F
                || type == Character.FORMAT
                || type == Character.LINE_SEPARATOR
                || type == Character.PARAGRAPH_SEPARATOR
                || type == Character.CONTROL;
    }

    /**
     * Names a thread as reports do.
     *
     * @param t the thread
     * @return its name, escaped; for an unnamed thread, what the JDK's own {@code toString} and
     *     thread dumps identify it by: {@code VirtualThread[#21]} (a virtual thread, unnamed by
     *     default) or {@code Thread[#21]}
     */
    public static String thread(Thread t) {
        String name = t.getName();
        if (!name.isEmpty()) {
            return escape(name);
        }
        long id = t.getId(); // Thread.threadId() is JDK 19+; the agent runs on 17
        return (t.getClass().getName().equals("java.lang.VirtualThread") ? "VirtualThread[#" : "Thread[#") + id + "]";
    }
}
