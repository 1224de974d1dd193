package io.jlockdep.agent.engine;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;

/**
 * Where the engine keeps the stacks of dependencies, held locks and reports, with bounded memory
 * (the kernel's {@code save_trace()} into {@code stack_trace[MAX_STACK_TRACE_ENTRIES]}, with the
 * hash-based trace sharing of newer kernels):
 *
 * <ul>
 *   <li>a trace keeps at most {@code maxDepth} frames; a deeper one ends with a marker frame
 *       that says how many were left out;</li>
 *   <li>frames are interned: one {@link StackTraceElement} per distinct frame, shared by every
 *       trace that passes through it;</li>
 *   <li>identical traces are one array (the same loop taking its locks again and again costs
 *       one trace, not one per dependency);</li>
 *   <li>the total number of frame slots kept is capped ({@code budget}); past it a new trace is
 *       kept as its first frame only (when that frame is already known) or as one marker, and
 *       the owner is told once ({@link #exhausted}).</li>
 * </ul>
 *
 * Worst case per kept trace: one array of {@code maxDepth + 1} references; the frames themselves
 * count against the budget once each. Slow path only; synchronized (traces are stored rarely).
 */
final class StackStore {

    /** A trace whose frames were not kept because the budget ran out. */
    static final StackTraceElement BUDGET_MARKER =
            new StackTraceElement("(jlockdep)", "", "stack not kept: MAX_STACK_TRACE_ENTRIES reached", -1);

    private final int maxDepth;
    private final long budget;
    private final StackTraceElement truncatedMarker;
    private final Map<StackTraceElement, StackTraceElement> frames = new HashMap<>();
    private final Map<Trace, StackTraceElement[]> traces = new HashMap<>();
    private long used;
    private boolean exhausted;

    StackStore(int maxDepth, long budget) {
        this.maxDepth = maxDepth;
        this.budget = budget;
        this.truncatedMarker =
                new StackTraceElement("(jlockdep)", "", "deeper frames not kept: stack depth cap " + maxDepth, -1);
    }

    int maxDepth() {
        return maxDepth;
    }

    /** Frame slots used so far (distinct frames plus the references of distinct traces). */
    synchronized long used() {
        return used;
    }

    /** Distinct traces kept. */
    synchronized int traceCount() {
        return traces.size();
    }

    /**
     * The shared, bounded form of {@code raw} (a capture of at most {@code maxDepth + 1} frames:
     * one more tells that it was deeper). Returns null for null.
     *
     * @return the stored trace; {@code exhausted()} tells whether the budget ran out meanwhile
     */
    synchronized StackTraceElement[] keep(StackTraceElement[] raw) {
        if (raw == null) {
            return null;
        }
        boolean deeper = raw.length > maxDepth;
        int n = deeper ? maxDepth + 1 : raw.length;
        StackTraceElement[] trace = new StackTraceElement[n];
        System.arraycopy(raw, 0, trace, 0, deeper ? maxDepth : n);
        if (deeper) {
            trace[maxDepth] = truncatedMarker;
        }
        Trace key = new Trace(trace);
        StackTraceElement[] known = traces.get(key);
        if (known != null) {
            return known;
        }
        int newFrames = 0;
        for (StackTraceElement f : trace) {
            if (f != truncatedMarker && !frames.containsKey(f)) {
                newFrames++;
            }
        }
        if (used + newFrames + trace.length > budget) {
            exhausted = true;
            StackTraceElement top = trace.length == 0 ? null : frames.get(trace[0]);
            return top == null ? new StackTraceElement[] {BUDGET_MARKER} : new StackTraceElement[] {top, BUDGET_MARKER};
        }
        for (int i = 0; i < trace.length; i++) {
            StackTraceElement f = trace[i];
            if (f != truncatedMarker) {
                StackTraceElement shared = frames.putIfAbsent(f, f);
                trace[i] = shared == null ? f : shared;
            }
        }
        used += newFrames + trace.length;
        traces.put(key, trace);
        return trace;
    }

    /** Whether the budget ran out (a trace was kept as a marker). */
    synchronized boolean exhausted() {
        return exhausted;
    }

    /** A trace as a map key: its frames' values. */
    private static final class Trace {
        private final StackTraceElement[] frames;
        private final int hash;

        Trace(StackTraceElement[] frames) {
            this.frames = frames;
            this.hash = Arrays.hashCode(frames);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Trace && ((Trace) o).hash == hash && Arrays.equals(((Trace) o).frames, frames);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }
}
