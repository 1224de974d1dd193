package io.jlockdep.agent.engine;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * The set of validated lock chains (the kernel's chain-key hash, {@code lookup_chain_cache}):
 * 64-bit keys folded from the classes a thread holds, in order. Lookups are lock-free and
 * allocation-free (open addressing over an {@link AtomicLongArray}, linear probing); inserts
 * happen under the engine's graph lock, so there is a single writer. Key 0 marks an empty slot
 * and is never stored (a zero key is remapped). Once {@code capacity} keys are stored no more
 * are added: {@link #add} returns false and the caller reports the limit.
 */
final class ChainCache {

    private final AtomicLongArray table;
    private final int mask;
    private final int capacity;
    private int size;

    ChainCache(int capacity) {
        if (capacity < 1) {
            throw new IllegalArgumentException("chain cache capacity must be positive: " + capacity);
        }
        int slots = Integer.highestOneBit(Math.max(4, capacity * 2 - 1)) << 1;
        this.table = new AtomicLongArray(slots);
        this.mask = slots - 1;
        this.capacity = capacity;
    }

    private static long nonZero(long key) {
        return key == 0 ? 0x9E3779B97F4A7C15L : key;
    }

    private int slot(long key) {
        long h = key * 0x9E3779B97F4A7C15L;
        return (int) (h ^ (h >>> 32)) & mask;
    }

    boolean contains(long key) {
        key = nonZero(key);
        for (int i = slot(key); ; i = (i + 1) & mask) {
            long k = table.get(i);
            if (k == key) {
                return true;
            }
            if (k == 0) {
                return false;
            }
        }
    }

    /** Adds {@code key}; single writer (graph lock held). False when the cache is full. */
    boolean add(long key) {
        key = nonZero(key);
        if (size >= capacity) {
            return contains(key);
        }
        for (int i = slot(key); ; i = (i + 1) & mask) {
            long k = table.get(i);
            if (k == key) {
                return true;
            }
            if (k == 0) {
                table.set(i, key);
                size++;
                return true;
            }
        }
    }

    int size() {
        return size;
    }

    int capacity() {
        return capacity;
    }
}
