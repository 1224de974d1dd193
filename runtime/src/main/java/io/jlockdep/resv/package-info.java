/**
 * Reservation locks with the kernel's ww_mutex semantics (drivers/dma-buf/dma-resv.c,
 * kernel/locking/ww_mutex.h): {@code ReservationLock} ({@code dma_resv_lock} and friends),
 * acquire contexts ({@code WwAcquireContext}, wait-die and wound-wait), {@code DrmExec}. Knows
 * nothing of lockdep, like a kernel built without CONFIG_LOCKDEP.
 */
package io.jlockdep.resv;
