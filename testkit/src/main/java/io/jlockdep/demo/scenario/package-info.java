/** The demo's scenario catalogue: correct and buggy uses of the drivers, each with its expected rule IDs. */
package io.jlockdep.demo.scenario;
