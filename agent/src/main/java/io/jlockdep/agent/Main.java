package io.jlockdep.agent;

import io.jlockdep.agent.report.JsonReader;
import io.jlockdep.agent.report.Merge;
import io.jlockdep.agent.report.Render;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * {@code java -jar jlockdep-agent.jar COMMAND}: the tools around the agent.
 *
 * <ul>
 *   <li>{@code merge REPORT... [--json OUT]}: the union of several JVMs' graphs and the cycles no
 *       single JVM saw; exit status 1 when there is one.</li>
 *   <li>{@code render REPORT [--html OUT.html] [--dot OUT.dot]}: pictures of a report.</li>
 * </ul>
 * Without a command it says how to attach the agent. Bad usage exits with status 2 and says why.
 */
public final class Main {

    private Main() {
    }

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
                default:
                    throw new IllegalArgumentException("unknown command '" + args[0] + "'");
            }
        } catch (IllegalArgumentException e) {
            err.println("jlockdep: " + e.getMessage());
            err.println("usage: java -jar jlockdep-agent.jar merge REPORT... [--json OUT] | render REPORT [--html OUT] [--dot OUT]");
            return 2;
        } catch (IOException e) {
            err.println("jlockdep: " + (e instanceof NoSuchFileException ? "no such file " + e.getMessage() : e.toString()));
            return 2;
        }
    }

    private static String usage(String version) {
        return String.join(System.lineSeparator(),
                "jlockdep " + version + ": lockdep for the JVM",
                "",
                "Attach it to a JVM:",
                "  java -javaagent:jlockdep-agent.jar[=key=value,...] ...",
                "",
                "Options:",
                "  mode=warn|fail        fail throws LockdepViolationError at the violating call (default warn)",
                "  report=PATH           JSON report (a directory gets jlockdep-<pid>.json)",
                "  spec=PATH[;PATH...]   more locking specifications (.lockspec)",
                "  log=auto|slf4j|stderr|off   where reports are printed (default auto: SLF4J if present, else stderr)",
                "  watchdog=MILLIS|off   how often the deadlock watchdog looks (default 1000)",
                "  jmx=on|off            the io.jlockdep:type=Lockdep MBean: held-locks dump (default off)",
                "  gates=on|off          leave cycles under one common outer lock unreported (default on)",
                "  semaphores=on|off     track one-permit Semaphores as mutexes (default on)",
                "",
                "Commands:",
                "  merge REPORT... [--json OUT]                 cycles across the graphs of several JVMs (exit 1 if any)",
                "  render REPORT [--html OUT.html] [--dot OUT.dot]   pictures of a report");
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
        Merge merge = new Merge();
        for (Path r : reports) {
            merge.add(r);
        }
        List<Merge.Cycle> cycles = merge.cycles(true);
        out.print(merge.render(cycles));
        if (json != null) {
            Files.writeString(json, merge.toJson(cycles), StandardCharsets.UTF_8);
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
        Object parsed;
        try {
            parsed = JsonReader.parse(Files.readString(report, StandardCharsets.UTF_8));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(report + " is not a jlockdep JSON report: " + e.getMessage());
        }
        if (!(parsed instanceof Map)) {
            throw new IllegalArgumentException(report + " is not a jlockdep JSON report");
        }
        Render r = new Render((Map<String, Object>) parsed);
        if (html != null) {
            Files.writeString(html, r.toHtml(), StandardCharsets.UTF_8);
            out.println("wrote " + html);
        }
        if (dot != null) {
            Files.writeString(dot, r.toDot(), StandardCharsets.UTF_8);
            out.println("wrote " + dot);
        }
        return 0;
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException("option " + option + " needs a file");
        }
        return args[i];
    }
}
