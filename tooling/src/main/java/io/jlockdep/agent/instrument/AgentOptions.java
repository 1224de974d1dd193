package io.jlockdep.agent.instrument;

import io.jlockdep.agent.report.Echo;
import io.jlockdep.agent.report.LogOutput;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The agent's options, {@code -javaagent:jlockdep-agent.jar=key=value,key=value}, parsed
 * strictly: an unknown key, a repeated key, a missing or bad value stops the JVM at start with a
 * message naming it.
 *
 * <ul>
 *   <li>{@code mode=warn|fail} (default warn): fail throws {@code LockdepViolationError} at the violating call.</li>
 *   <li>{@code report=PATH}: the JSON report; a directory (existing, or written with a trailing
 *       {@code /}) gets one {@code jlockdep-<pid>.json} per process.</li>
 *   <li>{@code spec=PATH[;PATH...]}: more locking specifications, on top of the built-in dma-buf one.</li>
 *   <li>{@code log=auto|slf4j|stderr|off} (default auto): auto logs through SLF4J when the
 *       application has an SLF4J provider, else to stderr.</li>
 *   <li>{@code watchdog=MILLIS|off} (default 1000): how often the deadlock watchdog looks for
 *       threads waiting for each other (10 ms to one hour).</li>
 *   <li>{@code jmx=on|off} (default off): register the {@code io.jlockdep:type=Lockdep} MBean
 *       (held-locks dump, report) with the platform MBean server.</li>
 *   <li>{@code gates=on|off} (default on): a cycle whose every dependency was taken under one
 *       common outer lock is not reported (off: reported, as the kernel's lockdep does).</li>
 *   <li>{@code semaphores=on|off} (default on): track Semaphores made with one permit as
 *       mutexes; off for code that hands permits from thread to thread.</li>
 *   <li>{@code suppress=PATH[;PATH...]}: suppression files: violations judged and accepted are
 *       counted in the report instead of printed (see {@code SuppressionFiles}).</li>
 *   <li>{@code wrappers=CLASS[;CLASS...]}: more lock wrappers (classes whose instances each wrap
 *       one lock), on top of those found in bytecode: a lock allocated inside one belongs to the
 *       site that allocated the wrapper.</li>
 *   <li>{@code same-class=order|report} (default order): two instances of one lock class nested
 *       are ordered, and reported only when taken in both orders; report gives the kernel's
 *       strict verdict at once ({@code lockdep/recursive-locking}, "possible recursive locking").</li>
 *   <li>{@code guards=on|off|all|PACKAGE[;PACKAGE...]} (default on): check the lock contracts
 *       classes write in annotations ({@code @GuardedBy}, {@code @Holding},
 *       {@code @ReleasesNoLocks}, {@code @LockingFree}): on, in the classes loaded from
 *       directories (the build's own); all, in every application class, libraries too; in the
 *       packages named; off instruments nothing for them ({@link GuardScope}).</li>
 * </ul>
 */
public final class AgentOptions {

    private static final List<String> KEYS = List.of(
            "mode",
            "report",
            "spec",
            "suppress",
            "log",
            "watchdog",
            "jmx",
            "semaphores",
            "gates",
            "same-class",
            "wrappers",
            "guards");

    /** The watchdog's shortest and longest interval (longer ones would overflow its nanosecond clock). */
    static final long MIN_WATCHDOG_MILLIS = 10;

    static final long MAX_WATCHDOG_MILLIS = 3_600_000;

    private final boolean failFast;
    private final Path report;
    private final String reportAsGiven;
    private final List<Path> specs;
    private List<Path> suppressions = List.of();
    private List<String> wrappers = List.of();
    private final LogOutput.Mode log;
    private long watchdogMillis = 1000;
    private boolean jmx;
    private GuardScope guards = GuardScope.DEFAULT;
    private boolean semaphores = true;
    private boolean gates = true;
    private boolean sameClassReport;

    private AgentOptions(boolean failFast, String report, List<Path> specs, LogOutput.Mode log) {
        this.failFast = failFast;
        this.report = report == null ? null : Path.of(report);
        this.reportAsGiven = report;
        this.specs = Collections.unmodifiableList(specs);
        this.log = log;
    }

    public boolean failFast() {
        return failFast;
    }

    /** The JSON report path as given, or null. */
    public Path report() {
        return report;
    }

    /** The report option's text, which tells a directory by its trailing separator. */
    public String reportAsGiven() {
        return reportAsGiven;
    }

    public List<Path> specs() {
        return specs;
    }

    public LogOutput.Mode log() {
        return log;
    }

    /** The watchdog's interval, or 0 when it is off. */
    public long watchdogMillis() {
        return watchdogMillis;
    }

    public boolean jmx() {
        return jmx;
    }

    /** Which classes have the lock contracts written in annotations checked ({@code guards}). */
    GuardScope guards() {
        return guards;
    }

    public boolean semaphores() {
        return semaphores;
    }

    public boolean gates() {
        return gates;
    }

    /** The lock wrappers the user named (binary class names). */
    public List<String> wrappers() {
        return wrappers;
    }

    /** The suppression files, in order. */
    public List<Path> suppressions() {
        return suppressions;
    }

    /** Whether two nested instances of one lock class are reported at once (kernel's AA), not ordered. */
    public boolean sameClassReport() {
        return sameClassReport;
    }

    /** The paths of a {@code ;}-separated list option. */
    private static List<Path> paths(String key, String value) {
        List<Path> paths = new ArrayList<>();
        for (String p : value.split(";", -1)) {
            if (p.isBlank()) {
                throw new IllegalArgumentException(
                        "option " + Echo.quote(key) + " has an empty path in " + Echo.quote(value));
            }
            try {
                paths.add(Path.of(p.trim()));
            } catch (java.nio.file.InvalidPathException e) {
                throw new IllegalArgumentException(
                        "bad path " + Echo.quote(p) + " in option " + Echo.quote(key) + ": " + e.getReason());
            }
        }
        return paths;
    }

    /**
     * Parses the agent argument string (null or empty: defaults).
     *
     * @throws IllegalArgumentException naming the offending option
     */
    public static AgentOptions parse(String args) {
        boolean failFast = false;
        String report = null;
        List<Path> specs = new ArrayList<>();
        List<Path> suppressions = new ArrayList<>();
        List<String> wrappers = new ArrayList<>();
        LogOutput.Mode log = LogOutput.Mode.AUTO;
        if (args == null || args.isBlank()) {
            return new AgentOptions(false, null, specs, log);
        }
        Set<String> seen = new HashSet<>();
        long watchdog = 1000;
        boolean jmx = false;
        boolean semaphores = true;
        boolean gates = true;
        boolean sameClassReport = false;
        GuardScope guards = GuardScope.DEFAULT;
        for (String option : args.split(",", -1)) {
            int eq = option.indexOf('=');
            if (option.isBlank()) {
                throw new IllegalArgumentException(
                        "empty option in " + Echo.quote(args) + " (options are key=value,key=value)");
            }
            if (eq <= 0) {
                throw new IllegalArgumentException("option " + Echo.quote(option) + " is not key=value (known keys: "
                        + String.join(", ", KEYS) + ")");
            }
            String key = option.substring(0, eq).trim();
            String value = option.substring(eq + 1).trim();
            if (!KEYS.contains(key)) {
                throw new IllegalArgumentException(
                        "unknown option " + Echo.quote(key) + " (known keys: " + String.join(", ", KEYS) + ")");
            }
            if (!seen.add(key)) {
                throw new IllegalArgumentException("option " + Echo.quote(key) + " given twice");
            }
            if (value.isEmpty()) {
                throw new IllegalArgumentException("option " + Echo.quote(key) + " has no value");
            }
            switch (key) {
                case "mode":
                    if (value.equals("warn")) {
                        failFast = false;
                    } else if (value.equals("fail")) {
                        failFast = true;
                    } else {
                        throw new IllegalArgumentException(
                                "bad value " + Echo.quote(value) + " for option 'mode' (expected warn or fail)");
                    }
                    break;
                case "report":
                    try {
                        Path unused = Path.of(value); // only to refuse a malformed path now
                    } catch (java.nio.file.InvalidPathException e) {
                        throw new IllegalArgumentException(
                                "bad value " + Echo.quote(value) + " for option 'report': " + e.getReason());
                    }
                    report = value;
                    break;
                case "spec":
                    specs.addAll(paths(key, value));
                    break;
                case "suppress":
                    suppressions.addAll(paths(key, value));
                    break;
                case "wrappers":
                    for (String c : value.split(";", -1)) {
                        String name = c.trim();
                        if (!name.matches("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*"
                                + "(\\.[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*)*")) {
                            throw new IllegalArgumentException("bad class name " + Echo.quote(c)
                                    + " in option 'wrappers' (expected binary names such as com.example.Guarded"
                                    + " or org.eclipse.jetty.util.thread.AutoLock, separated by ;)");
                        }
                        wrappers.add(name);
                    }
                    break;
                case "watchdog":
                    if (value.equals("off")) {
                        watchdog = 0;
                    } else {
                        try {
                            watchdog = Long.parseLong(value);
                        } catch (NumberFormatException e) {
                            watchdog = -1;
                        }
                        if (watchdog < MIN_WATCHDOG_MILLIS || watchdog > MAX_WATCHDOG_MILLIS) {
                            throw new IllegalArgumentException("bad value " + Echo.quote(value)
                                    + " for option 'watchdog' (expected milliseconds from " + MIN_WATCHDOG_MILLIS
                                    + " to "
                                    + MAX_WATCHDOG_MILLIS + " (one hour), or off)");
                        }
                    }
                    break;
                case "same-class":
                    if (!value.equals("order") && !value.equals("report")) {
                        throw new IllegalArgumentException("bad value " + Echo.quote(value)
                                + " for option 'same-class' (expected order or report)");
                    }
                    sameClassReport = value.equals("report");
                    break;
                case "guards":
                    guards = GuardScope.parse(value);
                    break;
                case "jmx":
                case "semaphores":
                case "gates":
                    if (!value.equals("on") && !value.equals("off")) {
                        throw new IllegalArgumentException("bad value " + Echo.quote(value) + " for option "
                                + Echo.quote(key) + " (expected on or off)");
                    }
                    if (key.equals("jmx")) {
                        jmx = value.equals("on");
                    } else if (key.equals("gates")) {
                        gates = value.equals("on");
                    } else {
                        semaphores = value.equals("on");
                    }
                    break;
                default: // log
                    try {
                        log = LogOutput.Mode.valueOf(value.toUpperCase(java.util.Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        throw new IllegalArgumentException("bad value " + Echo.quote(value)
                                + " for option 'log' (expected auto, slf4j, stderr or off)");
                    }
            }
        }
        AgentOptions o = new AgentOptions(failFast, report, specs, log);
        o.watchdogMillis = watchdog;
        o.jmx = jmx;
        o.semaphores = semaphores;
        o.gates = gates;
        o.sameClassReport = sameClassReport;
        o.guards = guards;
        o.suppressions = List.copyOf(suppressions);
        o.wrappers = List.copyOf(wrappers);
        return o;
    }
}
