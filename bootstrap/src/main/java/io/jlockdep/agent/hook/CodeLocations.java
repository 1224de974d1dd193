package io.jlockdep.agent.hook;

import java.util.HashMap;
import java.util.Map;

/**
 * Where in the code a lock is taken, known when the code is rewritten ({@code synchronized}
 * blocks and methods): the instrumentation registers {@code com.example.Foo.bar(Foo.java:12)}
 * once per site and passes its number to the hook, which hands the text to the engine as the
 * acquisition's site. Held-lock lists then say where each monitor was taken, on the fast path too,
 * without a stack walk. Reads are lock-free: an array published whole, indexed by number.
 */
public final class CodeLocations {

    private static volatile String[] texts = new String[256];
    private static final Map<String, Integer> NUMBERS = new HashMap<>();
    private static int count = 1; // 0: no location

    private CodeLocations() {}

    /** The number of {@code text} (the same text, the same number); at rewrite time only. */
    public static synchronized int register(String text) {
        Integer known = NUMBERS.get(text);
        if (known != null) {
            return known;
        }
        int number = next(text);
        set(number, text);
        return number;
    }

    /**
     * The number of {@code key} (a method: the same method, the same number, however often its
     * class is rewritten), whose text comes later ({@link #set}): a synchronized method's
     * location, whose first line is visited after the code that passes the number is written.
     */
    public static synchronized int reserve(String key) {
        Integer known = NUMBERS.get(key);
        return known != null ? known : next(key);
    }

    /** A new number, known by {@code key} from now on; the array grown to hold it. */
    private static int next(String key) {
        if (count == texts.length) {
            texts = java.util.Arrays.copyOf(texts, texts.length * 2);
        }
        NUMBERS.put(key, count);
        return count++;
    }

    /** The text of a reserved number (before the class that uses it is defined). */
    public static synchronized void set(int number, String text) {
        String[] t = texts;
        t[number] = text;
        texts = t; // published again, with the text in it
    }

    /** The text of location {@code number}, or null (0, or not registered). */
    static String at(int number) {
        String[] t = texts;
        return number > 0 && number < t.length ? t[number] : null;
    }
}
