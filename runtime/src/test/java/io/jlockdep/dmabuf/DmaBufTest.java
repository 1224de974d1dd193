package io.jlockdep.dmabuf;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jlockdep.resv.ReservationLock;
import io.jlockdep.testing.Worker;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/**
 * The dma-buf API's behaviour: one nested class per group of kernel functions, in the order of
 * drivers/dma-buf/dma-buf.c. Longer than 500 lines because it follows {@link DmaBuf}, which is
 * one class for one kernel file.
 */
class DmaBufTest {

    private static final long SIZE = 16 * DmaBuf.PAGE_SIZE;
    private static final Device GPU = Device.of("gpu0");

    static DmaBuf export(DmaBufOps ops) {
        return DmaBuf.export(new DmaBufExportInfo("test-exporter", ops, SIZE, new Object()));
    }

    static void assertErrno(ThrowingCallable call, Errno errno, String messagePart) {
        assertThatThrownBy(call)
                .isInstanceOf(DmaBufException.class)
                .hasMessageContaining(messagePart)
                .satisfies(e -> assertThat(((DmaBufException) e).errno()).isEqualTo(errno));
    }

    @Nested
    class Export {

        @Test
        void exportsWithOneReferenceAndItsOwnReservation() {
            RecordingExporter exporter = new RecordingExporter();
            Object priv = new Object();
            DmaBuf buf = DmaBuf.export(new DmaBufExportInfo("i915", exporter, SIZE, priv));
            assertThat(buf.refcount()).isEqualTo(1);
            assertThat(buf.size()).isEqualTo(SIZE);
            assertThat(buf.expName()).isEqualTo("i915");
            assertThat(buf.priv()).isSameAs(priv);
            assertThat(buf.ops()).isSameAs(exporter);
            assertThat(buf.resv().wwClass()).isSameAs(ReservationLock.CLASS);
            assertThat(buf.hasOwnResv()).isTrue();
            assertThat(buf.isDynamic()).isFalse();
            assertThat(buf.name()).matches("dmabuf:\\d+:i915");
            assertThat(exporter.calls).isEmpty();
        }

        @Test
        void aBufferMayShareAnotherReservation() {
            ReservationLock shared = new ReservationLock("vm.resv");
            DmaBuf a =
                    DmaBuf.export(new DmaBufExportInfo("amdgpu", new RecordingExporter(), SIZE, new Object(), shared));
            DmaBuf b =
                    DmaBuf.export(new DmaBufExportInfo("amdgpu", new RecordingExporter(), SIZE, new Object(), shared));
            assertThat(a.resv()).isSameAs(shared).isSameAs(b.resv());
            assertThat(a.hasOwnResv()).isFalse();
        }

        @Test
        void anExporterWithPinIsDynamic() {
            assertThat(export(new RecordingExporter.Dynamic()).isDynamic()).isTrue();
        }

        @Test
        void rejectsIncompleteExportInfo() {
            assertErrno(() -> DmaBuf.export(null), Errno.EINVAL, "needs export info");
            assertErrno(
                    () -> DmaBuf.export(new DmaBufExportInfo("x", null, SIZE, new Object())),
                    Errno.EINVAL,
                    "no dma_buf_ops");
            assertErrno(
                    () -> DmaBuf.export(new DmaBufExportInfo("x", new RecordingExporter(), SIZE, null)),
                    Errno.EINVAL,
                    "no priv");
            assertErrno(
                    () -> DmaBuf.export(new DmaBufExportInfo("x", new RecordingExporter(), -1, new Object())),
                    Errno.EINVAL,
                    "negative size");
        }

        @Test
        void rejectsPinWithoutUnpinAndCachingWithPin() {
            DmaBufOps pinOnly = new RecordingExporter() {
                @Override
                public void pin(DmaBufAttachment attach) {}
            };
            assertErrno(() -> export(pinOnly), Errno.EINVAL, "pin without unpin");
            DmaBufOps cachingDynamic = new RecordingExporter.Dynamic() {
                @Override
                public boolean cacheSgtMapping() {
                    return true;
                }
            };
            assertErrno(() -> export(cachingDynamic), Errno.EINVAL, "cache_sgt_mapping and implements pin/unpin");
        }
    }

    @Nested
    class References {

        @Test
        void fdGetPutAndCloseReleaseExactlyOnce() {
            RecordingExporter exporter = new RecordingExporter();
            DmaBuf buf = export(exporter);
            int fd = buf.fd();
            DmaBuf imported = DmaBuf.get(fd);
            assertThat(imported).isSameAs(buf);
            assertThat(buf.refcount()).isEqualTo(2);
            imported.put();
            assertThat(buf.refcount()).isEqualTo(1);
            assertThat(exporter.releases.get()).isZero();
            DmaBuf.closeFd(fd);
            assertThat(buf.isReleased()).isTrue();
            assertThat(exporter.calls).containsExactly("release(unlocked)");
            assertErrno(() -> DmaBuf.get(fd), Errno.EBADF, "fd " + fd);
            assertErrno(() -> DmaBuf.closeFd(fd), Errno.EBADF, "not an open dma-buf");
        }

        @Test
        void aPutAfterTheLastReferenceIsRejectedAndReleaseStaysSingle() {
            RecordingExporter exporter = new RecordingExporter();
            DmaBuf buf = export(exporter);
            buf.put();
            assertErrno(buf::put, Errno.EINVAL, "after the last reference");
            assertThat(exporter.releases.get()).isEqualTo(1);
            assertThat(buf.refcount()).isZero();
        }

        @Test
        void aReleasedBufferRejectsEveryOperation() {
            DmaBuf buf = export(new RecordingExporter());
            buf.put();
            assertErrno(buf::fd, Errno.EINVAL, "dma_buf_fd on released");
            assertErrno(buf::getDmaBuf, Errno.EINVAL, "released");
            assertErrno(() -> buf.attach(GPU), Errno.EINVAL, "released");
            assertErrno(() -> buf.beginCpuAccess(DmaDataDirection.TO_DEVICE), Errno.EINVAL, "released");
            assertErrno(buf::vmapUnlocked, Errno.EINVAL, "released");
            assertErrno(() -> buf.mmap(new VmAreaStruct(1), 0), Errno.EINVAL, "released");
        }

        @Test
        void anUnknownFdIsEbadf() {
            assertErrno(() -> DmaBuf.get(-7), Errno.EBADF, "fd -7");
        }

        @Test
        void concurrentGetsAndPutsReleaseExactlyOnce() throws Exception {
            RecordingExporter exporter = new RecordingExporter();
            DmaBuf buf = export(exporter);
            int threads = 4;
            CyclicBarrier start = new CyclicBarrier(threads);
            List<Worker<Void>> workers = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                workers.add(Worker.start("refs-" + t, () -> {
                    start.await();
                    for (int i = 0; i < 10_000; i++) {
                        buf.getDmaBuf();
                        buf.put();
                    }
                    return null;
                }));
            }
            for (Worker<Void> w : workers) {
                w.join();
            }
            assertThat(buf.refcount()).isEqualTo(1);
            assertThat(exporter.releases.get()).isZero();
            buf.put();
            assertThat(exporter.releases.get()).isEqualTo(1);
        }

        @Test
        void releaseWithAttachmentsStillAliveIsReportedAfterReleasing() {
            RecordingExporter exporter = new RecordingExporter();
            DmaBuf buf = export(exporter);
            buf.attach(GPU);
            assertErrno(buf::put, Errno.EBUSY, "1 attachment(s) and 0 vmap(s) still alive");
            assertThat(exporter.releases.get()).isEqualTo(1);
        }
    }

    @Nested
    class Attachments {

        @Test
        void staticImporterOfAStaticExporterMapsNothingAtAttach() {
            RecordingExporter exporter = new RecordingExporter();
            DmaBuf buf = export(exporter);
            DmaBufAttachment attach = buf.attach(GPU);
            assertThat(attach.dmabuf()).isSameAs(buf);
            assertThat(attach.dev()).isEqualTo(GPU);
            assertThat(attach.isDynamic()).isFalse();
            assertThat(attach.priv()).isEqualTo("exporter-data-for-gpu0");
            assertThat(attach.hasCachedMapping()).isFalse();
            assertThat(buf.attachments()).containsExactly(attach);
            buf.detach(attach);
            assertThat(attach.isDetached()).isTrue();
            assertThat(buf.attachments()).isEmpty();
            assertThat(exporter.calls).containsExactly("attach(unlocked)", "detach(unlocked)");
            assertThat(buf.resv().isLocked()).isFalse();
        }

        @Test
        void staticImporterOfADynamicExporterIsPinnedAndMappedAtAttachUnderTheLock() {
            RecordingExporter.Dynamic exporter = new RecordingExporter.Dynamic();
            DmaBuf buf = export(exporter);
            DmaBufAttachment attach = buf.attach(GPU);
            assertThat(exporter.calls).containsExactly("attach(unlocked)", "pin(locked)", "map_dma_buf(locked)");
            assertThat(attach.hasCachedMapping()).isTrue();

            SgTable first = DmaBuf.mapAttachmentUnlocked(attach, DmaDataDirection.TO_DEVICE);
            SgTable second = DmaBuf.mapAttachmentUnlocked(attach, DmaDataDirection.FROM_DEVICE);
            assertThat(second)
                    .as("the cached BIDIRECTIONAL mapping serves every direction")
                    .isSameAs(first);
            DmaBuf.unmapAttachmentUnlocked(attach, first, DmaDataDirection.TO_DEVICE);
            assertThat(exporter.calls).as("cached: no further exporter calls").hasSize(3);

            buf.detach(attach);
            assertThat(exporter.calls)
                    .containsExactly(
                            "attach(unlocked)",
                            "pin(locked)",
                            "map_dma_buf(locked)",
                            "unmap_dma_buf(locked)",
                            "unpin(locked)",
                            "detach(unlocked)");
            assertThat(buf.resv().isLocked()).isFalse();
        }

        @Test
        void dynamicImporterOfAStaticExporterGetsACachedMappingWithoutPin() {
            RecordingExporter exporter = new RecordingExporter();
            DmaBuf buf = export(exporter);
            DmaBufAttachment attach = buf.dynamicAttach(GPU, new RecordingImporter(), "importer-priv");
            assertThat(attach.isDynamic()).isTrue();
            assertThat(attach.importerPriv()).isEqualTo("importer-priv");
            assertThat(exporter.calls).containsExactly("attach(unlocked)", "map_dma_buf(locked)");
            buf.detach(attach);
            assertThat(exporter.calls).endsWith("unmap_dma_buf(locked)", "detach(unlocked)");
        }

        @Test
        void dynamicImporterOfADynamicExporterMapsOnDemandUnderTheLock() {
            RecordingExporter.Dynamic exporter = new RecordingExporter.Dynamic();
            DmaBuf buf = export(exporter);
            DmaBufAttachment attach = buf.dynamicAttach(GPU, new RecordingImporter(), null);
            assertThat(exporter.calls).containsExactly("attach(unlocked)");
            buf.resv().lock();
            SgTable a = DmaBuf.mapAttachment(attach, DmaDataDirection.BIDIRECTIONAL);
            SgTable b = DmaBuf.mapAttachment(attach, DmaDataDirection.BIDIRECTIONAL);
            assertThat(a).isNotSameAs(b);
            DmaBuf.unmapAttachment(attach, a, DmaDataDirection.BIDIRECTIONAL);
            DmaBuf.unmapAttachment(attach, b, DmaDataDirection.BIDIRECTIONAL);
            buf.resv().unlock();
            assertThat(exporter.calls)
                    .containsExactly(
                            "attach(unlocked)",
                            "map_dma_buf(locked)",
                            "map_dma_buf(locked)",
                            "unmap_dma_buf(locked)",
                            "unmap_dma_buf(locked)");
            buf.detach(attach);
        }

        @Test
        void detachOfAForeignOrDetachedAttachmentIsRejectedAndChangesNothing() {
            RecordingExporter exporter = new RecordingExporter();
            DmaBuf buf = export(exporter);
            DmaBuf other = export(new RecordingExporter());
            DmaBufAttachment mine = buf.attach(GPU);
            DmaBufAttachment foreign = other.attach(GPU);
            assertErrno(() -> buf.detach(foreign), Errno.EINVAL, "belongs to " + other.name());
            assertThat(foreign.isDetached()).isFalse();
            assertThat(other.attachments()).containsExactly(foreign);
            assertErrno(() -> buf.detach(null), Errno.EINVAL, "without an attachment");
            buf.detach(mine);
            int callsAfterDetach = exporter.calls.size();
            assertErrno(() -> buf.detach(mine), Errno.EINVAL, "already detached");
            assertThat(exporter.calls).hasSize(callsAfterDetach);
            assertErrno(
                    () -> DmaBuf.mapAttachmentUnlocked(mine, DmaDataDirection.TO_DEVICE), Errno.EINVAL, "on detached");
            assertErrno(() -> buf.attach(null), Errno.EINVAL, "without a device");
        }

        @Test
        void anExporterRejectingTheAttachLeavesNoAttachment() {
            RecordingExporter exporter = new RecordingExporter();
            exporter.failAttach = new DmaBufException(Errno.EBUSY, "storage not reachable from gpu0");
            DmaBuf buf = export(exporter);
            assertErrno(() -> buf.attach(GPU), Errno.EBUSY, "not reachable");
            assertThat(buf.attachments()).isEmpty();
            assertThat(buf.resv().isLocked()).isFalse();
        }

        @Test
        void aFailedPinAtAttachUndoesTheAttachmentAndReleasesTheLock() {
            RecordingExporter.Dynamic exporter = new RecordingExporter.Dynamic();
            exporter.failPin = new DmaBufException(Errno.ENOMEM, "no room to pin");
            DmaBuf buf = export(exporter);
            assertErrno(() -> buf.attach(GPU), Errno.ENOMEM, "no room to pin");
            assertThat(buf.attachments()).isEmpty();
            assertThat(buf.resv().isLocked()).isFalse();
            assertThat(exporter.calls).containsExactly("attach(unlocked)", "pin(locked)", "detach(unlocked)");
        }

        @Test
        void aFailedMapAtAttachUnpinsAndDetaches() {
            RecordingExporter.Dynamic exporter = new RecordingExporter.Dynamic();
            exporter.mapReturnsNull = true;
            DmaBuf buf = export(exporter);
            assertErrno(() -> buf.attach(GPU), Errno.ENOMEM, "returned no table");
            assertThat(exporter.calls)
                    .containsExactly(
                            "attach(unlocked)",
                            "pin(locked)",
                            "map_dma_buf(locked)",
                            "unpin(locked)",
                            "detach(unlocked)");
            assertThat(buf.resv().isLocked()).isFalse();
        }

        @Test
        void peerToPeerOnlyWhenImporterAndDeviceBothAllowIt() {
            DmaBuf buf = export(new RecordingExporter.Dynamic());
            Device p2pDevice = new Device("gpu1", true);
            assertThat(buf.dynamicAttach(p2pDevice, new RecordingImporter(true), null)
                            .peer2peer())
                    .isTrue();
            assertThat(buf.dynamicAttach(GPU, new RecordingImporter(true), null).peer2peer())
                    .isFalse();
            assertThat(buf.dynamicAttach(p2pDevice, new RecordingImporter(false), null)
                            .peer2peer())
                    .isFalse();
            assertThat(buf.attach(p2pDevice).peer2peer()).isFalse();
        }
    }

    @Nested
    class PinAndMappings {

        @Test
        void dynamicImporterPinsAndUnpinsUnderTheLock() {
            RecordingExporter.Dynamic exporter = new RecordingExporter.Dynamic();
            DmaBuf buf = export(exporter);
            DmaBufAttachment attach = buf.dynamicAttach(GPU, new RecordingImporter(), null);
            buf.resv().lock();
            DmaBuf.pin(attach);
            DmaBuf.unpin(attach);
            buf.resv().unlock();
            assertThat(exporter.calls).containsExactly("attach(unlocked)", "pin(locked)", "unpin(locked)");
        }

        @Test
        void pinOfAStaticExporterIsANoOp() {
            RecordingExporter exporter = new RecordingExporter();
            DmaBuf buf = export(exporter);
            DmaBufAttachment attach = buf.dynamicAttach(GPU, new RecordingImporter(), null);
            int before = exporter.calls.size();
            buf.resv().lock();
            DmaBuf.pin(attach);
            DmaBuf.unpin(attach);
            buf.resv().unlock();
            assertThat(exporter.calls).hasSize(before);
        }

        @Test
        void onlyDynamicImportersMayPin() {
            DmaBuf buf = export(new RecordingExporter.Dynamic());
            DmaBufAttachment attach = buf.attach(GPU);
            assertErrno(() -> DmaBuf.pin(attach), Errno.EINVAL, "only dynamic importers may pin");
            assertErrno(() -> DmaBuf.unpin(attach), Errno.EINVAL, "only dynamic importers may unpin");
            assertErrno(() -> DmaBuf.pin(null), Errno.EINVAL, "without an attachment");
        }

        @Test
        void cacheSgtMappingKeepsTheFirstMappingAndRejectsAnotherDirection() {
            RecordingExporter.Caching exporter = new RecordingExporter.Caching();
            DmaBuf buf = export(exporter);
            DmaBufAttachment attach = buf.attach(GPU);
            SgTable first = DmaBuf.mapAttachmentUnlocked(attach, DmaDataDirection.TO_DEVICE);
            assertThat(DmaBuf.mapAttachmentUnlocked(attach, DmaDataDirection.TO_DEVICE))
                    .isSameAs(first);
            assertErrno(
                    () -> DmaBuf.mapAttachmentUnlocked(attach, DmaDataDirection.FROM_DEVICE),
                    Errno.EBUSY,
                    "cached TO_DEVICE mapping");
            DmaBuf.unmapAttachmentUnlocked(attach, first, DmaDataDirection.TO_DEVICE);
            assertThat(exporter.calls).containsExactly("attach(unlocked)", "map_dma_buf(locked)");
            buf.detach(attach);
            assertThat(exporter.calls).endsWith("unmap_dma_buf(locked)", "detach(unlocked)");
        }

        @Test
        void unmapOfATableNeverMappedOrUnmappedTwiceIsRejected() {
            RecordingExporter exporter = new RecordingExporter();
            DmaBuf buf = export(exporter);
            DmaBufAttachment attach = buf.attach(GPU);
            SgTable stranger = SgTable.of(0x42, DmaBuf.PAGE_SIZE);
            assertErrno(
                    () -> DmaBuf.unmapAttachmentUnlocked(attach, stranger, DmaDataDirection.TO_DEVICE),
                    Errno.EINVAL,
                    "never mapped");
            SgTable sgt = DmaBuf.mapAttachmentUnlocked(attach, DmaDataDirection.TO_DEVICE);
            assertErrno(
                    () -> DmaBuf.unmapAttachmentUnlocked(attach, sgt, DmaDataDirection.FROM_DEVICE),
                    Errno.EINVAL,
                    "mapped TO_DEVICE unmapped FROM_DEVICE");
            DmaBuf.unmapAttachmentUnlocked(attach, sgt, DmaDataDirection.TO_DEVICE);
            assertErrno(
                    () -> DmaBuf.unmapAttachmentUnlocked(attach, sgt, DmaDataDirection.TO_DEVICE),
                    Errno.EINVAL,
                    "already unmapped");
            assertErrno(
                    () -> DmaBuf.unmapAttachmentUnlocked(attach, null, DmaDataDirection.TO_DEVICE),
                    Errno.EINVAL,
                    "null table");
            assertThat(exporter.calls)
                    .containsExactly("attach(unlocked)", "map_dma_buf(locked)", "unmap_dma_buf(locked)");
            assertThat(buf.resv().isLocked())
                    .as("the unlocked variants release the lock on failure too")
                    .isFalse();
        }

        @Test
        void invalidDirectionsAreRejected() {
            DmaBuf buf = export(new RecordingExporter());
            DmaBufAttachment attach = buf.attach(GPU);
            assertErrno(
                    () -> DmaBuf.mapAttachmentUnlocked(attach, DmaDataDirection.NONE),
                    Errno.EINVAL,
                    "invalid direction NONE");
            assertErrno(() -> DmaBuf.mapAttachmentUnlocked(attach, null), Errno.EINVAL, "invalid direction null");
            assertErrno(() -> buf.beginCpuAccess(DmaDataDirection.NONE), Errno.EINVAL, "invalid direction");
            assertErrno(() -> buf.endCpuAccess(null), Errno.EINVAL, "invalid direction");
        }

        @Test
        void aNullTableFromTheExporterIsEnomem() {
            RecordingExporter exporter = new RecordingExporter();
            DmaBuf buf = export(exporter);
            DmaBufAttachment attach = buf.attach(GPU);
            exporter.mapReturnsNull = true;
            assertErrno(
                    () -> DmaBuf.mapAttachmentUnlocked(attach, DmaDataDirection.TO_DEVICE), Errno.ENOMEM, "no table");
            assertThat(buf.resv().isLocked()).isFalse();
        }
    }

    @Nested
    class MoveNotify {

        @Test
        void reachesDynamicImportersOnlyUnderTheLock() {
            DmaBuf buf = export(new RecordingExporter.Dynamic());
            RecordingImporter first = new RecordingImporter();
            RecordingImporter second = new RecordingImporter();
            buf.dynamicAttach(Device.of("gpu-a"), first, null);
            buf.attach(Device.of("camera")); // static importer: pinned, never told
            buf.dynamicAttach(Device.of("gpu-b"), second, null);
            buf.resv().lock();
            buf.moveNotify();
            buf.resv().unlock();
            assertThat(first.calls).containsExactly("move_notify:gpu-a(locked)");
            assertThat(second.calls).containsExactly("move_notify:gpu-b(locked)");
        }
    }

    @Nested
    class CpuAccess {

        @Test
        void vmapIsCountedAndReachesTheExporterOnceUnderTheLock() {
            RecordingExporter exporter = new RecordingExporter();
            DmaBuf buf = export(exporter);
            IosysMap a = buf.vmapUnlocked();
            IosysMap b = buf.vmapUnlocked();
            assertThat(b).isEqualTo(a);
            assertThat(buf.vmappingCounter()).isEqualTo(2);
            buf.vunmapUnlocked(a);
            assertThat(exporter.calls).containsExactly("vmap(locked)");
            buf.resv().lock();
            buf.vunmap(b);
            buf.resv().unlock();
            assertThat(exporter.calls).containsExactly("vmap(locked)", "vunmap(locked)");
            assertThat(buf.vmappingCounter()).isZero();
        }

        @Test
        void vunmapOfAForeignOrMissingMapIsRejected() {
            DmaBuf buf = export(new RecordingExporter());
            assertErrno(() -> buf.vunmapUnlocked(new IosysMap(1, false)), Errno.EINVAL, "not vmapped");
            IosysMap map = buf.vmapUnlocked();
            assertErrno(() -> buf.vunmapUnlocked(new IosysMap(1, false)), Errno.EINVAL, "vmapped at");
            assertThat(buf.vmappingCounter()).isEqualTo(1);
            buf.vunmapUnlocked(map);
            assertThat(buf.resv().isLocked()).isFalse();
        }

        @Test
        void operationsAnExporterLacksAreEinval() {
            DmaBufOps minimal = new DmaBufOps() {
                @Override
                public SgTable mapDmaBuf(DmaBufAttachment attach, DmaDataDirection direction) {
                    return SgTable.of(0x1000, DmaBuf.PAGE_SIZE);
                }

                @Override
                public void unmapDmaBuf(DmaBufAttachment attach, SgTable table, DmaDataDirection direction) {}

                @Override
                public void release(DmaBuf dmabuf) {}
            };
            DmaBuf buf = export(minimal);
            assertErrno(buf::vmapUnlocked, Errno.EINVAL, "does not support vmap");
            assertErrno(() -> buf.mmap(new VmAreaStruct(1), 0), Errno.EINVAL, "does not support mmap");
            buf.beginCpuAccess(DmaDataDirection.FROM_DEVICE); // optional: a no-op
            buf.endCpuAccess(DmaDataDirection.FROM_DEVICE);
            DmaBufAttachment attach = buf.attach(GPU); // no attach op: fine
            buf.detach(attach);
        }

        @Test
        void mmapChecksTheRangeAndCallsTheExporterUnlocked() {
            RecordingExporter exporter = new RecordingExporter();
            DmaBuf buf = export(exporter);
            VmAreaStruct vma = new VmAreaStruct(4);
            buf.mmap(vma, 12);
            assertThat(vma.vmFile()).isSameAs(buf);
            assertThat(vma.vmPgoff()).isEqualTo(12);
            assertThat(exporter.calls).containsExactly("mmap(unlocked)");
            assertErrno(() -> buf.mmap(new VmAreaStruct(4), 13), Errno.EINVAL, "beyond the 16 pages");
            assertErrno(() -> buf.mmap(new VmAreaStruct(2), Long.MAX_VALUE), Errno.EOVERFLOW, "overflows");
            assertErrno(() -> buf.mmap(null, 0), Errno.EINVAL, "without a vma");
            assertThat(exporter.calls).hasSize(1);
        }

        @Test
        void cpuAccessBracketsReachTheExporterUnlocked() {
            RecordingExporter exporter = new RecordingExporter();
            DmaBuf buf = export(exporter);
            buf.beginCpuAccess(DmaDataDirection.FROM_DEVICE);
            buf.endCpuAccess(DmaDataDirection.FROM_DEVICE);
            assertThat(exporter.calls)
                    .containsExactly("begin_cpu_access:FROM_DEVICE(unlocked)", "end_cpu_access:FROM_DEVICE(unlocked)");
        }
    }
}
