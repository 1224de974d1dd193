package io.jlockdep.dmabuf;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/** A dynamic importer that records each move_notify with the lock state it came in. */
class RecordingImporter implements DmaBufAttachOps {

    final List<String> calls = new CopyOnWriteArrayList<>();
    private final boolean peer2peer;

    RecordingImporter(boolean peer2peer) {
        this.peer2peer = peer2peer;
    }

    RecordingImporter() {
        this(false);
    }

    @Override
    public boolean allowPeer2peer() {
        return peer2peer;
    }

    @Override
    public void moveNotify(DmaBufAttachment attach) {
        calls.add("move_notify:" + attach.dev().name() + "(" + RecordingExporter.state(attach.dmabuf()) + ")");
    }
}
