package io.jlockdep.agent.instrument;

/**
 * The lock a {@code @GuardedBy} or {@code @Holding} annotation names, in the subset the
 * annotation languages share (JCIP, JSR-305, Error Prone, the Checker Framework): {@code this},
 * {@code itself} (the field's own value), a field of the owner ({@code lock}, {@code this.lock}),
 * a no-argument method of the owner ({@code getLock()}, {@code this.getLock()}), a class literal
 * ({@code Registry.class}) and a static field ({@code Registry.LOCK}). Parsed when the annotated
 * class loads; an expression outside the subset is an error with its reason, reported once, never
 * skipped in silence.
 */
record GuardExpression(Form form, String type, String member, String text) {

    /** The shapes of the subset. */
    enum Form {
        /** {@code this}: the owner object (for a static member: its class). */
        THIS,
        /** {@code itself}: the guarded field's own value. */
        ITSELF,
        /** {@code lock} or {@code this.lock}: a field of the owner. */
        FIELD,
        /** {@code getLock()}: a no-argument method of the owner. */
        METHOD,
        /** {@code Registry.class}: a class's monitor. */
        CLASS_LITERAL,
        /** {@code Registry.LOCK}: a static field of a named class. */
        STATIC_FIELD
    }

    /** An expression outside the subset. */
    static final class Unsupported extends Exception {
        private static final long serialVersionUID = 1L;

        Unsupported(String text, String why) {
            super("cannot resolve '" + text + "': " + why);
        }
    }

    /**
     * Parses {@code text}.
     *
     * @throws Unsupported when the expression is not in the subset, with the reason
     */
    static GuardExpression parse(String text) throws Unsupported {
        String t = text == null ? "" : text.strip();
        if (t.isEmpty()) {
            throw new Unsupported(t, "empty");
        }
        if (t.equals("this")) {
            return new GuardExpression(Form.THIS, null, null, t);
        }
        if (t.equals("itself")) {
            return new GuardExpression(Form.ITSELF, null, null, t);
        }
        String rest = t.startsWith("this.") ? t.substring("this.".length()) : null;
        if (rest != null) {
            return member(t, rest);
        }
        int dot = t.lastIndexOf('.');
        if (dot < 0) {
            return member(t, t);
        }
        String type = t.substring(0, dot);
        String last = t.substring(dot + 1);
        if (!qualifiedName(type)) {
            throw new Unsupported(t, "not a class name before '." + last + "'");
        }
        if (last.equals("class")) {
            return new GuardExpression(Form.CLASS_LITERAL, type, null, t);
        }
        if (last.equals("this")) {
            throw new Unsupported(t, "an enclosing instance (Outer.this) is not supported");
        }
        if (!identifier(last)) {
            throw new Unsupported(t, "'" + last + "' is not a static field name");
        }
        return new GuardExpression(Form.STATIC_FIELD, type, last, t);
    }

    /** {@code name} or {@code name()} of the owner. */
    private static GuardExpression member(String text, String s) throws Unsupported {
        if (s.endsWith("()")) {
            String name = s.substring(0, s.length() - 2);
            if (!identifier(name)) {
                throw new Unsupported(text, "'" + name + "' is not a method name");
            }
            return new GuardExpression(Form.METHOD, null, name, text);
        }
        if (s.indexOf('(') >= 0) {
            throw new Unsupported(text, "only methods without arguments are supported");
        }
        if (!identifier(s)) {
            throw new Unsupported(
                    text, s.indexOf('.') >= 0 ? "a chain of fields is not supported" : "'" + s + "' is not a name");
        }
        return new GuardExpression(Form.FIELD, null, s, text);
    }

    /** Whether {@code s} is a dotted run of Java identifiers ({@code com.example.Registry}). */
    static boolean qualifiedName(String s) {
        int start = 0;
        while (true) { // no regex: this runs as classes load, before main
            int dot = s.indexOf('.', start);
            if (!identifier(dot < 0 ? s.substring(start) : s.substring(start, dot))) {
                return false;
            }
            if (dot < 0) {
                return true;
            }
            start = dot + 1;
        }
    }

    private static boolean identifier(String s) {
        if (s.isEmpty() || !Character.isJavaIdentifierStart(s.charAt(0)) || s.equals("this") || s.equals("class")) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            if (!Character.isJavaIdentifierPart(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }
}
