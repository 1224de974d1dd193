/** The amdgpu-like driver of the demo (see the package {@code io.jlockdep.demo}). */
package io.jlockdep.demo.amdgpu;
