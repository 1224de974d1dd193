/**
 * Locking specifications as data: the {@code .lockspec} format, its strict parser (errors name
 * file:line:column) and the rule model ({@code LockSpec}, {@code LockPath}); the built-in
 * {@code dma-buf.lockspec} states the DMA-BUF locking convention of drivers/dma-buf/dma-buf.c.
 * {@code Echo} is how every error message shows what the user wrote.
 */
package io.jlockdep.agent.spec;
