package io.jlockdep.agent.instrument;

/**
 * Reading a raw class file's constant pool without parsing the class (JVMS 4.4): the transformers
 * that look at every class loaded ({@link MonitorTransformer}, {@link GetterIndex}) decide from it
 * whether a class needs ASM at all.
 */
final class ClassFileBytes {

    /** Constant pool entries start here (after magic, versions and the count at offset 8). */
    static final int FIRST_CONSTANT = 10;

    private ClassFileBytes() {}

    /** The number of constant pool slots plus one, as the class file says. */
    static int constantCount(byte[] b) {
        return u2(b, 8);
    }

    /**
     * The size in bytes of the constant at {@code p} (tag included), or -1 for a tag this reader
     * does not know (the caller then reads the class properly).
     */
    static int constantSize(byte[] b, int p) {
        switch (b[p] & 0xFF) {
            case 1:
                return 3 + u2(b, p + 1);
            case 3:
            case 4:
            case 9:
            case 10:
            case 11:
            case 12:
            case 17:
            case 18:
                return 5;
            case 5:
            case 6:
                return 9;
            case 7:
            case 8:
            case 16:
            case 19:
            case 20:
                return 3;
            case 15:
                return 4;
            default:
                return -1;
        }
    }

    /** Whether the constant at {@code p} takes two slots (long, double). */
    static boolean wide(byte[] b, int p) {
        int tag = b[p] & 0xFF;
        return tag == 5 || tag == 6;
    }

    /** Whether {@code b} holds {@code text} at {@code at} (the caller knows it fits). */
    static boolean regionEquals(byte[] b, int at, byte[] text) {
        for (int k = 0; k < text.length; k++) {
            if (b[at + k] != text[k]) {
                return false;
            }
        }
        return true;
    }

    /** Whether the bytes {@code text} occur anywhere in {@code b} (a name in the constant pool, say). */
    static boolean contains(byte[] b, byte[] text) {
        for (int i = 0, end = b.length - text.length; i <= end; i++) {
            if (regionEquals(b, i, text)) {
                return true;
            }
        }
        return false;
    }

    static int u2(byte[] b, int p) {
        return ((b[p] & 0xFF) << 8) | (b[p + 1] & 0xFF);
    }

    static int u4(byte[] b, int p) {
        return ((b[p] & 0xFF) << 24) | ((b[p + 1] & 0xFF) << 16) | ((b[p + 2] & 0xFF) << 8) | (b[p + 3] & 0xFF);
    }
}
