package io.jlockdep.agent.report;

import io.jlockdep.agent.engine.Edge;
import io.jlockdep.agent.engine.LockClass;
import io.jlockdep.agent.engine.Lockdep;
import io.jlockdep.agent.engine.Suppressions;
import io.jlockdep.api.TextReport;
import io.jlockdep.api.Violation;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * The JSON report: every violation with its locks, chain and stacks, the dependency graph
 * (classes, and edges with the thread and stack of their first occurrence), and the notices.
 * Written atomically (a temporary file moved over the report), so a reader never sees half a
 * file; rewritten at each violation and at JVM exit.
 */
public final class JsonReport {

    private final Path file;
    private final String mode;
    private final long pid = ProcessHandle.current().pid();
    private final long startMillis = System.currentTimeMillis();

    /**
     * @param path a file, or a directory (existing, or given with a trailing separator) that gets
     *             {@code jlockdep-<pid>.json}
     */
    public JsonReport(Path path, String pathAsGiven, String mode) {
        boolean dir =
                Files.isDirectory(path) || pathAsGiven.endsWith("/") || pathAsGiven.endsWith(java.io.File.separator);
        this.file = dir ? path.resolve("jlockdep-" + ProcessHandle.current().pid() + ".json") : path;
        this.mode = mode;
    }

    public Path file() {
        return file;
    }

    /** Writes the whole report now. */
    public synchronized void write(Lockdep engine) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        Path tmp = Files.createTempFile(parent, temporaryPrefix(file, pid), ".tmp");
        try {
            try (java.io.Writer out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                render(engine, new Json(out)); // streamed: a large graph is never one string in memory
            } catch (java.io.UncheckedIOException e) {
                throw e.getCause();
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /** The temporaries of {@code report} written by process {@code pid}: {@code .<name>.<pid>.<random>.tmp}. */
    private static String temporaryPrefix(Path report, long pid) {
        return "." + report.getFileName() + "." + pid + ".";
    }

    /**
     * Deletes the temporaries that processes no longer alive left beside the report (a JVM killed
     * while writing it). Best effort: a directory that cannot be listed is left as it is.
     */
    public void removeStaleTemporaries() {
        Path parent = file.toAbsolutePath().getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            return;
        }
        String prefix = "." + file.getFileName() + ".";
        try (var entries = Files.newDirectoryStream(parent, p -> {
            String n = p.getFileName().toString();
            return n.startsWith(prefix) && n.endsWith(".tmp");
        })) {
            for (Path p : entries) {
                String rest = p.getFileName().toString().substring(prefix.length());
                int dot = rest.indexOf('.');
                long owner;
                try {
                    owner = Long.parseLong(dot < 0 ? "" : rest.substring(0, dot));
                } catch (NumberFormatException e) {
                    continue; // not one of ours
                }
                if (owner != pid
                        && ProcessHandle.of(owner).map(ProcessHandle::isAlive).orElse(false)) {
                    continue;
                }
                Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException e) {
            // best effort
        }
    }

    private Json render(Lockdep engine, Json j) {
        j.beginObject();
        j.name("jlockdep")
                .beginObject()
                .field("version", 1)
                .field("pid", pid)
                .field("mode", mode)
                .field("startMillis", startMillis)
                .field("writtenMillis", System.currentTimeMillis())
                .field("jvm", System.getProperty("java.vm.name") + " " + System.getProperty("java.version"))
                .endObject();
        j.name("violations").beginArray();
        for (Violation v : engine.violations()) {
            violation(j, v);
        }
        j.endArray();
        j.name("graph").beginObject();
        j.name("classes").beginArray();
        for (LockClass c : engine.classes()) {
            j.beginObject()
                    .field("id", c.id())
                    .field("name", c.name())
                    .field("kind", c.kind().name())
                    .endObject();
        }
        j.endArray();
        j.name("edges").beginArray();
        for (Edge e : engine.dependencies()) {
            j.beginObject()
                    .field("from", e.from().name())
                    .field("to", e.to().name())
                    .field("kinds", e.kinds())
                    .field("closesCycle", e.closesCycle())
                    .field("thread", e.threadName())
                    .field("pid", pid)
                    .stack("stack", e.stack())
                    .endObject();
        }
        j.endArray();
        j.endObject();
        j.name("notices").beginArray();
        for (String n : engine.notices()) {
            j.value(n);
        }
        j.endArray();
        j.name("suppressed").beginArray();
        for (Suppressions.Count c : engine.suppressions()) {
            j.beginObject()
                    .field("entry", c.entry().source())
                    .field("text", c.entry().text())
                    .field("count", c.count())
                    .field("unused", c.count() == 0)
                    .endObject();
        }
        j.endArray();
        return j.endObject();
    }

    private static void violation(Json j, Violation v) {
        j.beginObject()
                .field("rule", v.rule())
                .field("title", v.title())
                .field("message", v.message())
                .field("citation", v.citation())
                .field("fix", v.fix())
                .field("thread", v.threadName())
                .field("threadId", v.threadId())
                .field("timeMillis", v.timeMillis());
        j.name("acquiring");
        if (v.acquiring() == null) {
            j.value((String) null);
        } else {
            lock(j, v.acquiring());
        }
        j.name("held").beginArray();
        for (Violation.LockInfo h : v.held()) {
            lock(j, h);
        }
        j.endArray();
        j.name("chain").beginArray();
        for (Violation.ChainLink link : v.chain()) {
            j.beginObject()
                    .field("from", link.from())
                    .field("to", link.to())
                    .field("thread", link.thread())
                    .field("fromInstance", link.fromInstance())
                    .field("toInstance", link.toInstance())
                    .stack("stack", link.stack())
                    .endObject();
        }
        j.endArray();
        j.stack("stack", v.stack());
        j.field("text", TextReport.render(v));
        j.endObject();
    }

    private static void lock(Json j, Violation.LockInfo info) {
        j.beginObject()
                .field("class", info.className())
                .field("instance", info.instance())
                .field("mode", info.mode())
                .field("at", info.where())
                .stack("acquiredAt", info.acquiredAt() == null ? null : info.acquiredAt())
                .endObject();
    }
}
