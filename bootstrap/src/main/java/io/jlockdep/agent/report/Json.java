package io.jlockdep.agent.report;

import java.io.IOException;
import java.io.UncheckedIOException;

/**
 * A minimal JSON writer: objects, arrays, strings (escaped per RFC 8259), numbers, booleans.
 * Writes to a {@link StringBuilder} or streams to a file's writer (a large report is never held
 * in memory whole); a write error surfaces as {@link UncheckedIOException}.
 */
public final class Json {

    private final Appendable sb;
    private boolean needComma;

    /** Into a string ({@link #toString()}). */
    public Json() {
        this(new StringBuilder(4096));
    }

    /** Into {@code out}. */
    public Json(Appendable out) {
        this.sb = out;
    }

    public Json beginObject() {
        comma();
        put('{');
        needComma = false;
        return this;
    }

    public Json endObject() {
        put('}');
        needComma = true;
        return this;
    }

    public Json beginArray() {
        comma();
        put('[');
        needComma = false;
        return this;
    }

    public Json endArray() {
        put(']');
        needComma = true;
        return this;
    }

    public Json name(String name) {
        comma();
        string(name);
        put(':');
        needComma = false;
        return this;
    }

    public Json value(String value) {
        comma();
        if (value == null) {
            put("null");
        } else {
            string(value);
        }
        needComma = true;
        return this;
    }

    public Json value(long value) {
        comma();
        put(value);
        needComma = true;
        return this;
    }

    public Json value(boolean value) {
        comma();
        put(value);
        needComma = true;
        return this;
    }

    public Json field(String name, String value) {
        return name(name).value(value);
    }

    public Json field(String name, boolean value) {
        return name(name).value(value);
    }

    public Json field(String name, long value) {
        return name(name).value(value);
    }

    public Json stack(String name, StackTraceElement[] stack) {
        name(name).beginArray();
        if (stack != null) {
            for (StackTraceElement e : stack) {
                value(e.toString());
            }
        }
        return endArray();
    }

    /**
     * A value read back from JSON (the command-line tools' {@code JsonReader}): a {@code Map} is an
     * object, a {@code List} an array, a whole {@code Number} an integer; strings, booleans and
     * null as themselves.
     */
    public Json any(Object value) {
        if (value instanceof java.util.Map<?, ?> map) {
            beginObject();
            for (java.util.Map.Entry<?, ?> e : map.entrySet()) {
                name(String.valueOf(e.getKey())).any(e.getValue());
            }
            return endObject();
        }
        if (value instanceof Iterable<?> list) {
            beginArray();
            for (Object v : list) {
                any(v);
            }
            return endArray();
        }
        if (value instanceof Number n) {
            double d = n.doubleValue();
            if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 0x1p53) {
                return value((long) d);
            }
            comma();
            put(Double.isFinite(d) ? String.valueOf(d) : "null");
            needComma = true;
            return this;
        }
        if (value instanceof Boolean b) {
            return value(b.booleanValue());
        }
        return value(value == null ? null : String.valueOf(value));
    }

    private void comma() {
        if (needComma) {
            put(',');
        }
    }

    /** Scratch space for one escaped string, so a streamed write is one call per string. */
    private final StringBuilder scratch = new StringBuilder(256);

    private void string(String s) {
        StringBuilder b = scratch;
        b.setLength(0);
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '"':
                    b.append("\\\"");
                    break;
                case '\\':
                    b.append("\\\\");
                    break;
                case '\n':
                    b.append("\\n");
                    break;
                case '\r':
                    b.append("\\r");
                    break;
                case '\t':
                    b.append("\\t");
                    break;
                default:
                    if (c < 0x20 || c == 0x2028 || c == 0x2029) {
                        escape(b, c);
                    } else if (Character.isHighSurrogate(c)
                            && i + 1 < s.length()
                            && Character.isLowSurrogate(s.charAt(i + 1))) {
                        b.append(c).append(s.charAt(++i)); // a pair: one code point UTF-8 can encode
                    } else if (Character.isSurrogate(c)) {
                        escape(b, c); // a lone surrogate, which UTF-8 cannot encode: kept as a JSON escape
                    } else {
                        b.append(c);
                    }
            }
        }
        b.append('"');
        put(b);
        if (b.length() > 1 << 16) {
            b.setLength(256);
            b.trimToSize();
        }
    }

    private static void escape(StringBuilder b, char c) {
        b.append("\\u");
        String hex = Integer.toHexString(c);
        for (int k = hex.length(); k < 4; k++) {
            b.append('0');
        }
        b.append(hex);
    }

    private Json put(Object text) {
        try {
            sb.append(text instanceof CharSequence ? (CharSequence) text : String.valueOf(text));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    private Json put(char c) {
        try {
            sb.append(c);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return this;
    }

    @Override
    public String toString() {
        return sb.toString();
    }
}
