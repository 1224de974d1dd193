package io.jlockdep.scenarios;

/**
 * A class that {@code Adversarial two-loaders} loads in two class loaders (two classes of one
 * name), and {@code child-first} in a child-first loader, where its synchronized method reports
 * to whichever hook classes that loader resolves.
 */
public final class Shared {
    private int touched;

    public synchronized int touch() {
        return ++touched;
    }
}
