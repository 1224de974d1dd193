package io.jlockdep.scenarios;

/** A class that {@code Adversarial two-loaders} loads in two class loaders: two classes of one name. */
public final class Shared {}
