package io.jlockdep.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jlockdep.agent.engine.Fixture.Lock;
import io.jlockdep.api.LockdepViolationError;
import io.jlockdep.api.Rules;
import io.jlockdep.api.Violation;
import org.junit.jupiter.api.Test;

/**
 * The DMA-BUF locking convention as engine rules: the importer rules at API entry, the exporter
 * rules at callback entry, and taking the lock inside a callback invoked locked. One triggering
 * and one clean test per rule.
 */
class ApiRulesTest {

    static final String CITE = "drivers/dma-buf/dma-buf.c, DMA-BUF locking convention";
    static final ApiRule MAP = new ApiRule(
            Rules.DMA_BUF_IMPORTER_LOCKED,
            ApiRule.Kind.MUST_HOLD,
            "dma_buf_map_attachment",
            "attach->dmabuf->resv",
            "Importers must hold the dma-buf reservation lock when calling dma_buf_map_attachment()",
            CITE);
    static final ApiRule ATTACH = new ApiRule(
            Rules.DMA_BUF_IMPORTER_UNLOCKED,
            ApiRule.Kind.MUST_NOT_HOLD,
            "dma_buf_attach",
            "dmabuf->resv",
            "Importers must not hold the dma-buf reservation lock when calling dma_buf_attach()",
            CITE);
    static final ApiRule OPS_ATTACH = new ApiRule(
            Rules.DMA_BUF_EXPORTER_UNLOCKED_CALLBACK,
            ApiRule.Kind.CALLBACK_UNLOCKED,
            "dma_buf_ops.attach",
            "dmabuf->resv",
            "These dma_buf_ops callbacks are invoked with unlocked dma-buf reservation and exporter can take the lock: attach",
            CITE);
    static final ApiRule OPS_MAP = new ApiRule(
            Rules.DMA_BUF_EXPORTER_LOCKED_CALLBACK,
            ApiRule.Kind.CALLBACK_LOCKED,
            "dma_buf_ops.map_dma_buf",
            "attach->dmabuf->resv",
            "These dma_buf_ops callbacks are invoked with locked dma-buf reservation and exporter can't take the lock: map_dma_buf",
            CITE);
    static final ApiRule MOVE_NOTIFY = new ApiRule(
            Rules.DMA_BUF_EXPORTER_LOCKED,
            ApiRule.Kind.MUST_HOLD,
            "dma_buf_move_notify",
            "dmabuf->resv",
            "Exporters must hold the dma-buf reservation lock when calling dma_buf_move_notify()",
            CITE);
    static final ApiRule NO_ACQUIRE = new ApiRule(
            "myspec/no-lock-in-irq",
            ApiRule.Kind.MUST_NOT_ACQUIRE_INSIDE,
            "Device.irqHandler",
            "device->lock",
            "The interrupt handler must not take the device lock",
            "my-driver.lockspec:3");

    final Fixture f = new Fixture();
    final LockClass resvClass = f.cls("reservation_ww_class_mutex", LockClass.Kind.WW_MUTEX);
    final LockClass driverClass = f.cls("i915_gem_object.mm.lock");
    final Lock resv = new Lock("dmabuf:1:i915.resv");

    void lockResv() {
        f.lock(resv, resvClass);
    }

    void unlockResv() {
        f.unlock(resv, resvClass);
    }

    void call(ApiRule rule, Runnable body) {
        f.engine.enter(rule, resv, null);
        try {
            body.run();
        } finally {
            f.engine.exit(rule);
        }
    }

    @Test
    void importerLockedRuleTriggersWithoutTheLock() {
        call(MAP, () -> {});
        assertThat(f.rules()).containsExactly(Rules.DMA_BUF_IMPORTER_LOCKED);
        Violation v = f.reported.get(0);
        assertThat(v.message())
                .contains("calls dma_buf_map_attachment without holding attach->dmabuf->resv")
                .contains("dmabuf:1:i915.resv");
        assertThat(v.citation()).contains(CITE).contains("Importers must hold");
        assertThat(v.fix()).contains("_unlocked variant");
        assertThat(v.title())
                .isEqualTo("locking convention violated: dma_buf_map_attachment without attach->dmabuf->resv held");
    }

    /** Issue 27 item 22: a user's rule has no locked or _unlocked variants to point at. */
    @Test
    void aUsersRulesFixNamesNoVariant() {
        ApiRule mustNotHold = new ApiRule(
                "myspec/no-io-under-lock",
                ApiRule.Kind.MUST_NOT_HOLD,
                "Store.flush",
                "store->lock",
                "Store.flush must not be called under the store lock",
                "my.lockspec:3");
        ApiRule mustHold = new ApiRule(
                "myspec/locked-update",
                ApiRule.Kind.MUST_HOLD,
                "Store.update",
                "store->lock",
                "Store.update must be called under the store lock",
                "my.lockspec:9");
        lockResv();
        call(mustNotHold, () -> {});
        unlockResv();
        call(mustHold, () -> {});
        assertThat(f.rules()).containsExactly("myspec/no-io-under-lock", "myspec/locked-update");
        assertThat(f.reported.get(0).fix())
                .isEqualTo("Release store->lock before calling Store.flush, or move the call out of the critical"
                        + " section.");
        assertThat(f.reported.get(1).fix()).isEqualTo("Take store->lock around the call to Store.update.");
    }

    @Test
    void importerLockedRuleIsSilentWithTheLock() {
        lockResv();
        call(MAP, () -> {});
        unlockResv();
        assertThat(f.reported).isEmpty();
    }

    @Test
    void importerUnlockedRuleTriggersWithTheLockAndTheCallbackStaysSilent() {
        lockResv();
        call(ATTACH, () -> call(OPS_ATTACH, () -> {}));
        unlockResv();
        assertThat(f.rules())
                .as("one report, naming the importer, not also the exporter's callback")
                .containsExactly(Rules.DMA_BUF_IMPORTER_UNLOCKED);
        assertThat(f.reported.get(0).held())
                .extracting(Violation.LockInfo::className)
                .containsExactly("reservation_ww_class_mutex");
    }

    @Test
    void importerUnlockedRuleIsSilentWithoutTheLock() {
        call(
                ATTACH,
                () -> call(OPS_ATTACH, () -> {
                    lockResv(); // the exporter may take the lock in attach
                    unlockResv();
                }));
        assertThat(f.reported).isEmpty();
    }

    @Test
    void exporterUnlockedCallbackInvokedLockedIsReported() {
        lockResv();
        call(OPS_ATTACH, () -> {}); // an exporter calling its own op directly, under the lock
        assertThat(f.rules()).containsExactly(Rules.DMA_BUF_EXPORTER_UNLOCKED_CALLBACK);
        assertThat(f.reported.get(0).message()).contains("invoked with attach".replace("attach", "dmabuf->resv"));
    }

    @Test
    void exporterLockedCallbackInvokedUnlockedIsReported() {
        call(OPS_MAP, () -> {});
        assertThat(f.rules()).containsExactly(Rules.DMA_BUF_EXPORTER_LOCKED_CALLBACK);
        assertThat(f.reported.get(0).message()).contains("invoked without");
    }

    @Test
    void exporterTakingTheLockInsideALockedCallbackIsReportedAsTheConventionNotAsRecursion() {
        lockResv();
        call(MAP, () -> call(OPS_MAP, () -> f.engine.acquire(resv, resvClass, Lockdep.WRITE, 0, null, null)));
        unlockResv();
        assertThat(f.rules()).containsExactly(Rules.DMA_BUF_EXPORTER_LOCKED_CALLBACK);
        Violation v = f.reported.get(0);
        assertThat(v.title()).isEqualTo("locking convention violated: lock taken inside dma_buf_ops.map_dma_buf");
        assertThat(v.message()).contains("which is invoked with it already held");
    }

    @Test
    void exporterLockedCallbackIsSilentWhenTheExporterUsesItsOwnLock() {
        lockResv();
        call(
                MAP,
                () -> call(OPS_MAP, () -> {
                    f.lock(new Lock("obj.mm.lock"), driverClass);
                }));
        assertThat(f.reported).isEmpty();
        assertThat(f.engine.hasDependency(resvClass, driverClass)).isTrue();
    }

    @Test
    void exporterLockedRuleForMoveNotify() {
        call(MOVE_NOTIFY, () -> {});
        assertThat(f.rules()).containsExactly(Rules.DMA_BUF_EXPORTER_LOCKED);
        f.reported.clear();
        Fixture clean = new Fixture();
        LockClass rc = clean.cls("reservation_ww_class_mutex", LockClass.Kind.WW_MUTEX);
        clean.lock(resv, rc);
        clean.engine.enter(MOVE_NOTIFY, resv, null);
        clean.engine.exit(MOVE_NOTIFY);
        assertThat(clean.reported).isEmpty();
    }

    @Test
    void mustNotAcquireInsideFiresOnlyInsideTheScope() {
        Lock deviceLock = new Lock("device.lock");
        LockClass deviceClass = f.cls("device.lock");
        f.engine.enter(NO_ACQUIRE, deviceLock, null);
        f.engine.acquire(deviceLock, deviceClass, Lockdep.WRITE, 0, null, null);
        f.engine.exit(NO_ACQUIRE);
        assertThat(f.rules()).containsExactly("myspec/no-lock-in-irq");
        f.lock(deviceLock, deviceClass); // outside the handler: fine
        assertThat(f.reported).hasSize(1);
    }

    @Test
    void anUnresolvedLockSkipsTheCheck() {
        f.engine.enter(MAP, null, null);
        f.engine.exit(MAP);
        assertThat(f.reported).isEmpty();
    }

    @Test
    void failModeThrowsAtEntryAndClosesTheScope() {
        Fixture strict = new Fixture(LockdepConfig.builder().failFast(true).build());
        assertThatThrownBy(() -> strict.engine.enter(MAP, resv, null))
                .isInstanceOf(LockdepViolationError.class)
                .hasMessageStartingWith(Rules.DMA_BUF_IMPORTER_LOCKED);
        LockClass rc = strict.cls("reservation_ww_class_mutex", LockClass.Kind.WW_MUTEX);
        strict.lock(resv, rc);
        strict.engine.enter(OPS_MAP, resv, null); // the failed scope left nothing behind
        strict.engine.exit(OPS_MAP);
        assertThat(strict.reported).hasSize(1);
    }
}
