package io.jlockdep.agent.spec;

import java.util.List;

/**
 * How a rule reaches its lock from a call: a root ({@code this}, an argument, or the return
 * value) followed by no-argument method calls or field reads, e.g. {@code arg0.dmabuf().resv()}
 * is the reservation of an attachment's buffer.
 *
 * @param root     {@link #THIS}, {@link #RETURN}, or an argument index (0, 1, ...)
 * @param steps    member names, in order
 * @param isMethod for each step, whether it is a method call (else a field read)
 * @param text     the path as written
 */
public record LockPath(int root, List<String> steps, List<Boolean> isMethod, String text) {

    public static final int THIS = -1;
    public static final int RETURN = -2;

    public LockPath {
        steps = List.copyOf(steps);
        isMethod = List.copyOf(isMethod);
    }

    /** Whether the lock can only be known when the call returns. */
    public boolean atExit() {
        return root == RETURN;
    }

    @Override
    public String toString() {
        return text;
    }
}
