/** The v4l2-like driver of the demo (see the package {@code io.jlockdep.demo}). */
package io.jlockdep.demo.v4l2;
