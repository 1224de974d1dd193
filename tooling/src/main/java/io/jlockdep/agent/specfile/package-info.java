/**
 * Reading locking specifications: the strict {@code .lockspec} parser (errors name
 * file:line:column) and {@code SpecFiles}, which loads the built-in {@code dma-buf.lockspec} and
 * the user's files (regular files of bounded size only). Part of the tooling: the checked
 * application never sees it.
 */
package io.jlockdep.agent.specfile;
