package io.jlockdep.agent.hook;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Bound per instrumented JDK lock method to which lock it is: {@link #MUTEX} (ReentrantLock),
 * {@link #RW_WRITE} or {@link #RW_READ} (the two views of a ReentrantReadWriteLock).
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.PARAMETER)
public @interface LockMode {
    int MUTEX = 0;
    int RW_WRITE = 1;
    int RW_READ = 2;
    /** For StampedLock conversions: to optimistic read (the thread then holds nothing). */
    int OPTIMISTIC = 3;
}
