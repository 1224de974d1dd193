/**
 * The dma-buf API (drivers/dma-buf/dma-buf.c) as Java: {@code DmaBuf} with each kernel function
 * as its camelCase twin, exporters' callbacks ({@code DmaBufOps}), attachments (static and
 * dynamic), mappings, pinning, move notify, CPU access. Each public function's javadoc names the
 * kernel function and the locking rule it obeys.
 */
package io.jlockdep.dmabuf;
