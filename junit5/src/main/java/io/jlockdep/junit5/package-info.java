/**
 * The JUnit 5 extension: a test fails with the violations filed under it (its thread and the
 * threads it started), when it ends with locks held, or when an expected violation did not
 * happen; without the agent, every checked test fails saying how to attach it.
 */
package io.jlockdep.junit5;
