package io.jlockdep.junit5;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Checks every test of the class (or the one method) with jlockdep: a test fails when a
 * violation happened while it ran, on its thread or a thread it started, or when it ends with
 * locks held. The agent must be attached ({@code -javaagent:jlockdep-agent.jar}, e.g. through
 * Surefire's {@code argLine}); without it every test fails and says how to attach it.
 * Instead of the annotation, JUnit's extension auto-detection
 * ({@code junit.jupiter.extensions.autodetection.enabled=true}) registers {@link JlockdepExtension}
 * for every test.
 */
@Target({ElementType.TYPE, ElementType.METHOD})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(JlockdepExtension.class)
public @interface CheckLocking {}
