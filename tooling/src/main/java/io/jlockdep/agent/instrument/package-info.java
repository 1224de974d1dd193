/**
 * The instrumentation: the installer (options, specs, engine, sinks, Byte Buddy and ASM
 * transformers), the advice inlined into lock methods and spec-rule methods, and {@code Hooks},
 * the static facade the advice calls, which translates bytecode events into engine events and
 * nothing more. Lives on the bootstrap class path with the engine, so advice inlined into JDK
 * classes can reach it. It never calls application code to find a lock ({@code GetterIndex}).
 */
package io.jlockdep.agent.instrument;
