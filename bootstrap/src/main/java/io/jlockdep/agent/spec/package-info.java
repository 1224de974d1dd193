/**
 * Locking specifications as data, as the hooks read them at run time: the rule model
 * ({@code LockSpec}, {@code LockPath}). The {@code .lockspec} parser is the tooling's
 * ({@code io.jlockdep.agent.specfile}); the built-in {@code dma-buf.lockspec} states the
 * DMA-BUF locking convention of drivers/dma-buf/dma-buf.c.
 */
package io.jlockdep.agent.spec;
