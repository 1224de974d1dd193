/**
 * The demo's runner ({@code DemoMain}): it plays each scenario of the catalogue (the drivers and
 * {@code io.jlockdep.demo.scenario.Catalogue}, in module {@code testkit}) in a JVM of its own under
 * the agent and tables the verdicts.
 */
package io.jlockdep.demo;
