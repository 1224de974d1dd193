package io.jlockdep.demo.scenario;

import io.jlockdep.demo.amdgpu.AmdgpuImporter;
import io.jlockdep.demo.i915.I915Exporter;
import io.jlockdep.demo.i915.I915Exporter.GemObject;
import io.jlockdep.demo.i915.I915Exporter.Placement;
import io.jlockdep.demo.udmabuf.UdmabufExporter;
import io.jlockdep.demo.v4l2.V4l2Importer;
import io.jlockdep.dmabuf.Device;
import io.jlockdep.dmabuf.DmaBuf;
import io.jlockdep.dmabuf.DmaBufAttachment;
import io.jlockdep.dmabuf.DmaDataDirection;
import io.jlockdep.dmabuf.IosysMap;
import io.jlockdep.dmabuf.SgTable;
import io.jlockdep.dmabuf.VmAreaStruct;
import java.util.ArrayList;
import java.util.List;

/** Each driver's correct flows, on several threads, many times: no report may come out. */
final class Load {

    private static final long SIZE = 16 * DmaBuf.PAGE_SIZE;

    private Load() {}

    static void i915(int threads, int rounds) throws Exception {
        I915Exporter i915 = new I915Exporter();
        List<GemObject> objects = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            objects.add(i915.createAndExport("gem" + i, SIZE));
        }
        Threads.parallel(Threads.names("i915", threads), t -> {
            Device dev = Device.of("importer" + t);
            for (int r = 0; r < rounds; r++) {
                GemObject obj = objects.get((t + r) % objects.size());
                DmaBufAttachment attach = obj.dmabuf().attach(dev); // static: pinned and mapped at attach
                SgTable sgt = DmaBuf.mapAttachmentUnlocked(attach, DmaDataDirection.BIDIRECTIONAL);
                DmaBuf.unmapAttachmentUnlocked(attach, sgt, DmaDataDirection.BIDIRECTIONAL);
                obj.dmabuf().detach(attach);
                i915.migrate(obj, r % 2 == 0 ? Placement.LMEM : Placement.SMEM);
                i915.shrink(objects.get((t + r + 1) % objects.size()));
            }
        });
    }

    static void amdgpu(int threads, int rounds) throws Exception {
        I915Exporter i915 = new I915Exporter();
        List<GemObject> objects = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            objects.add(i915.createAndExport("bo" + i, SIZE));
        }
        Threads.parallel(Threads.names("amdgpu", threads), t -> {
            AmdgpuImporter amdgpu = new AmdgpuImporter("amdgpu" + t);
            List<AmdgpuImporter.Import> imports = new ArrayList<>();
            for (GemObject o : objects) {
                imports.add(amdgpu.importBuffer(o.dmabuf()));
            }
            for (int r = 0; r < rounds; r++) {
                int from = (t * 3 + r) % imports.size();
                List<AmdgpuImporter.Import> set = new ArrayList<>();
                for (int k = 0; k < 3; k++) {
                    set.add(imports.get((from + k * (t + 1)) % imports.size()));
                }
                amdgpu.submit(set);
                if (r % 10 == t) {
                    i915.migrate(objects.get(from), r % 20 < 10 ? Placement.LMEM : Placement.SMEM);
                }
            }
            imports.forEach(amdgpu::release);
        });
    }

    static void v4l2(int threads, int rounds) throws Exception {
        I915Exporter i915 = new I915Exporter();
        UdmabufExporter udmabuf = new UdmabufExporter();
        List<DmaBuf> buffers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            buffers.add(i915.createAndExport("gem" + i, SIZE).dmabuf());
            buffers.add(udmabuf.create("memfd" + i, 4));
        }
        Threads.parallel(Threads.names("v4l2", threads), t -> {
            V4l2Importer v4l2 = new V4l2Importer("video" + t);
            for (int r = 0; r < rounds; r++) {
                v4l2.dequeue(v4l2.queue(buffers.get((t + r) % buffers.size())));
            }
        });
    }

    static void udmabuf(int threads, int rounds) throws Exception {
        UdmabufExporter udmabuf = new UdmabufExporter();
        List<DmaBuf> buffers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            buffers.add(udmabuf.create("memfd" + i, 4));
        }
        Threads.parallel(Threads.names("udmabuf", threads), t -> {
            Device dev = Device.of("dev" + t);
            for (int r = 0; r < rounds; r++) {
                DmaBuf b = buffers.get((t + r) % buffers.size());
                b.beginCpuAccess(DmaDataDirection.FROM_DEVICE);
                b.endCpuAccess(DmaDataDirection.FROM_DEVICE);
                b.mmap(new VmAreaStruct(1), r % 4);
                IosysMap map = b.vmapUnlocked();
                b.vunmapUnlocked(map);
                DmaBufAttachment attach = b.attach(dev);
                b.resv().lock();
                try {
                    SgTable sgt = DmaBuf.mapAttachment(attach, DmaDataDirection.TO_DEVICE);
                    DmaBuf.unmapAttachment(attach, sgt, DmaDataDirection.TO_DEVICE);
                } finally {
                    b.resv().unlock();
                }
                b.detach(attach);
            }
        });
    }
}
