package io.jlockdep.scenarios;

/**
 * Classes whose superclass is absent at run time ({@code Adversarial uninstrumentable} loads
 * them from a folder without {@link OrphanBase}): a spec rule's lock path on them
 * ({@code orphans.lockspec}) needs the superclass's fields, which the agent's type pool cannot
 * read, as it cannot resolve a Mockito/CGLIB proxy whose interfaces its loader does not serve.
 */
public class Orphan extends OrphanBase {
    synchronized void touch() {}
}

/** The same, named as a code generator names its classes. */
class Orphan$$EnhancerByMockito extends OrphanBase {
    synchronized void touch() {}
}

/** The superclass the copies are loaded without. */
class OrphanBase {}
