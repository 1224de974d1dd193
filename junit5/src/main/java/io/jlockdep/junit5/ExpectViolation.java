package io.jlockdep.junit5;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Repeatable;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The test is meant to run into this violation ({@code rule}, e.g.
 * {@code "dma-buf/importer-locked"}): it passes only if that rule was reported while it ran (a
 * repeat of one reported earlier counts), and still fails on any other. In {@code mode=fail} the
 * {@code LockdepViolationError} of an expected rule is caught, so the test can go on.
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Repeatable(ExpectViolation.List.class)
public @interface ExpectViolation {

    /** The rule ID. */
    String value();

    /** Several expected rules. */
    @Target(ElementType.METHOD)
    @Retention(RetentionPolicy.RUNTIME)
    @Documented
    @interface List {
        ExpectViolation[] value();
    }
}
