/**
 * The demo: drivers modelled on real ones and the runner that plays each scenario of the
 * catalogue in a JVM of its own under the agent and tables the verdicts.
 */
package io.jlockdep.demo;
