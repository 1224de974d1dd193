package io.jlockdep.agent.cli;

import io.jlockdep.agent.report.Echo;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code java -jar jlockdep-agent.jar COMMAND}: the tools around the agent.
 *
 * <ul>
 *   <li>{@code merge REPORT... [--json OUT]}: the union of several JVMs' graphs and the cycles no
 *       single JVM saw; exit status 1 when there is one.</li>
 *   <li>{@code render REPORT [--html OUT.html] [--dot OUT.dot]}: pictures of a report.</li>
 *   <li>{@code dump PID}: the held-locks dump of a running JVM under the agent ({@link Dump}).</li>
 *   <li>{@code attach PID [OPTIONS]}: the agent started in a running JVM ({@link Attach}).</li>
 * </ul>
 * Without a command it says how to attach the agent. Bad usage and unusable input (a file that
 * is not a jlockdep report, an output that would overwrite an input) exit with status 2 and one
 * line saying why; status 1 is only merge's "cross-JVM cycle found".
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        String version = Main.class.getPackage().getImplementationVersion();
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            out.println("jlockdep " + version);
            return 0;
        }
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h")) {
            out.println(usage(version));
            return 0;
        }
        try {
            switch (args[0]) {
                case "merge":
                    return merge(args, out);
                case "render":
                    return render(args, out);
                case "dump":
                    if (args.length != 2) {
                        throw new IllegalArgumentException("dump takes one process id");
                    }
                    long pid = Dump.checkedPid("dump", args[1]); // before the jar is looked for
                    Dump.run(pid, ownJar("dump PID"), out);
                    return 0;
                case "attach":
                    if (args.length != 2 && args.length != 3) {
                        throw new IllegalArgumentException("attach takes a process id and the agent's options");
                    }
                    long target = Dump.checkedPid("attach", args[1]);
                    Attach.run(target, args.length == 3 ? args[2] : "", ownJar("attach PID [OPTIONS]"), out);
                    return 0;
                default:
                    throw new IllegalArgumentException("unknown command '" + args[0] + "'");
            }
        } catch (ReportFile.BadReportException e) {
            err.println("jlockdep: " + e.getMessage());
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("jlockdep: " + e.getMessage());
            err.println(
                    "usage: java -jar jlockdep-agent.jar merge REPORT... [--json OUT] | render REPORT [--html OUT] [--dot OUT]"
                            + " | dump PID | attach PID [OPTIONS]");
            return 2;
        } catch (Dump.Failure e) {
            err.println("jlockdep: " + e.getMessage());
            return 2;
        } catch (IOException e) {
            err.println("jlockdep: "
                    + (e instanceof NoSuchFileException ? "no such file " + Echo.quote(e.getMessage()) : e.toString()));
            return 2;
        }
    }

    private static String usage(String version) {
        return String.join(
                System.lineSeparator(),
                "jlockdep " + version + ": lockdep for the JVM",
                "",
                "Attach it to a JVM:",
                "  java -javaagent:jlockdep-agent.jar[=key=value,...] ...",
                "",
                "Options:",
                "  mode=warn|fail        fail throws LockdepViolationError at the violating call (default warn)",
                "  report=PATH           JSON report (a directory gets jlockdep-<pid>.json)",
                "  spec=PATH[;PATH...]   more locking specifications (.lockspec)",
                "  suppress=PATH[;PATH...]   suppression files: judged reports counted, not printed",
                "  log=auto|slf4j|stderr|off   where reports are printed (default auto: SLF4J if present, else stderr)",
                "  watchdog=MILLIS|off   how often the deadlock watchdog looks, 10 to 3600000 ms (default 1000)",
                "  jmx=on|off            the io.jlockdep:type=Lockdep MBean: held-locks dump (default off)",
                "  gates=on|off          leave cycles under one common outer lock unreported (default on)",
                "  semaphores=on|off     track one-permit Semaphores as mutexes (default on)",
                "  same-class=order|report   two nested instances of one lock class: ordered (default), or reported at once",
                "  wrappers=CLASS[;CLASS...]   lock wrapper classes: their locks belong to where the wrapper is made",
                "",
                "Commands:",
                "  merge REPORT... [--json OUT]                 cycles across the graphs of several JVMs (exit 1 if any)",
                "  render REPORT [--html OUT.html] [--dot OUT.dot]   pictures of a report",
                "  dump PID                                     the held-locks dump of a running JVM under the agent",
                "  attach PID [OPTIONS]                         start the agent in a running JVM (options checked first)");
    }

    /**
     * The jar this command runs from: the agent jar, which {@code dump} loads into a JVM to
     * register its MBean and {@code attach} to start it; {@code usage} is the command's.
     */
    private static Path ownJar(String usage) {
        java.security.CodeSource source = Main.class.getProtectionDomain().getCodeSource();
        try {
            Path jar = source == null ? null : Path.of(source.getLocation().toURI());
            if (jar == null || !Files.isRegularFile(jar)) {
                throw new IllegalArgumentException(
                        "this command runs from the agent jar: java -jar jlockdep-agent.jar " + usage);
            }
            return jar;
        } catch (java.net.URISyntaxException e) {
            throw new IllegalArgumentException("cannot tell which jar this is: " + source.getLocation(), e);
        }
    }

    private static int merge(String[] args, PrintStream out) throws IOException {
        List<Path> reports = new ArrayList<>();
        Path json = null;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--json")) {
                json = Path.of(value(args, ++i, "--json"));
            } else if (args[i].startsWith("--")) {
                throw new IllegalArgumentException("unknown option '" + args[i] + "' for merge");
            } else {
                reports.add(Path.of(args[i]));
            }
        }
        if (reports.isEmpty()) {
            throw new IllegalArgumentException("merge needs at least one report");
        }
        Outputs outputs = new Outputs(reports);
        outputs.claim(json, "--json");
        Merge merge = new Merge();
        for (Path r : reports) {
            merge.add(r);
        }
        List<Merge.Cycle> cycles = merge.cycles(true);
        out.print(merge.render(cycles));
        if (json != null) {
            outputs.write(json, merge.toJson(cycles));
        }
        return cycles.isEmpty() ? 0 : 1;
    }

    @SuppressWarnings("unchecked")
    private static int render(String[] args, PrintStream out) throws IOException {
        Path report = null;
        Path html = null;
        Path dot = null;
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--html")) {
                html = Path.of(value(args, ++i, "--html"));
            } else if (args[i].equals("--dot")) {
                dot = Path.of(value(args, ++i, "--dot"));
            } else if (args[i].startsWith("--")) {
                throw new IllegalArgumentException("unknown option '" + args[i] + "' for render");
            } else if (report == null) {
                report = Path.of(args[i]);
            } else {
                throw new IllegalArgumentException("render takes one report, got " + report + " and " + args[i]);
            }
        }
        if (report == null || html == null && dot == null) {
            throw new IllegalArgumentException("render needs a report and --html OUT or --dot OUT");
        }
        Outputs outputs = new Outputs(List.of(report));
        outputs.claim(html, "--html");
        outputs.claim(dot, "--dot");
        Render r = new Render(ReportFile.read(report));
        if (html != null) {
            outputs.write(html, r.toHtml());
            out.println("wrote " + html);
        }
        if (dot != null) {
            outputs.write(dot, r.toDot());
            out.println("wrote " + dot);
        }
        return 0;
    }

    /**
     * The files a command writes: never one of its inputs, never one path twice, never through a
     * symbolic link; each written whole to a temporary beside it and moved into place (the move
     * replaces a file, it does not follow a link).
     */
    private static final class Outputs {
        private final List<Path> inputs;
        private final List<Path> claimed = new ArrayList<>();

        Outputs(List<Path> inputs) {
            this.inputs = inputs;
        }

        void claim(Path out, String option) throws IOException {
            if (out == null) {
                return;
            }
            if (Files.isSymbolicLink(out)) {
                throw new IllegalArgumentException(option + " " + Echo.quote(out.toString())
                        + " is a symbolic link; refusing to write through it");
            }
            for (Path in : inputs) {
                if (same(in, out)) {
                    throw new IllegalArgumentException(option + " " + Echo.quote(out.toString())
                            + " is an input of this command; refusing to overwrite it");
                }
            }
            for (Path other : claimed) {
                if (same(other, out)) {
                    throw new IllegalArgumentException(
                            option + " " + Echo.quote(out.toString()) + " is already another output of this command");
                }
            }
            claimed.add(out);
        }

        private static boolean same(Path a, Path b) throws IOException {
            if (Files.exists(a) && Files.exists(b)) {
                return Files.isSameFile(a, b);
            }
            return a.toAbsolutePath().normalize().equals(b.toAbsolutePath().normalize());
        }

        void write(Path out, String text) throws IOException {
            Path parent = out.toAbsolutePath().getParent();
            Path tmp = Files.createTempFile(parent, "." + out.getFileName() + ".", ".tmp");
            try {
                // a lone surrogate (a thread named by a program, kept as a JSON escape in the
                // report) has no UTF-8 encoding: written as the escape it came as
                Files.writeString(tmp, io.jlockdep.api.Printable.escapeLoneSurrogates(text), StandardCharsets.UTF_8);
                Files.move(tmp, out, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException("option " + option + " needs a file");
        }
        return args[i];
    }
}
