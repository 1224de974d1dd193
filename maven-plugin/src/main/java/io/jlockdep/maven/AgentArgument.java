package io.jlockdep.maven;

import java.io.File;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The {@code -javaagent:jlockdep-agent.jar=key=value,...} argument {@code prepare-agent} puts on
 * a test JVM's command line, and how it joins the {@code argLine} already there.
 *
 * <p>Every option is checked here, at the start of the build: a bad one would otherwise stop
 * every test JVM, and Surefire would only say that the fork died.
 */
final class AgentArgument {

    private static final Set<String> MODES = Set.of("warn", "fail");
    private static final Set<String> LOGS = Set.of("auto", "slf4j", "stderr", "off");
    private static final Set<String> SAME_CLASS = Set.of("order", "report");
    private static final Set<String> ON_OFF = Set.of("on", "off");
    private static final Pattern CLASS_NAME =
            Pattern.compile("[\\p{L}_$][\\p{L}\\p{N}_$]*(\\.[\\p{L}_$][\\p{L}\\p{N}_$]*)*");

    private final Map<String, String> options = new LinkedHashMap<>();

    /** The report directory: each JVM writes {@code jlockdep-<pid>.json} there. */
    AgentArgument(File reportDirectory) {
        put("report", path(reportDirectory, "reportDirectory") + File.separator);
    }

    AgentArgument mode(String value) {
        return choice("mode", value, MODES);
    }

    AgentArgument log(String value) {
        return choice("log", value, LOGS);
    }

    AgentArgument sameClass(String value) {
        return choice("same-class", value, SAME_CLASS);
    }

    AgentArgument gates(String value) {
        return choice("gates", value, ON_OFF);
    }

    /** {@code guards}: on, off, all, or package names with a dot separated by {@code ;}. */
    AgentArgument guards(String value) {
        if (value == null || value.isEmpty() || value.equals("on") || value.equals("off") || value.equals("all")) {
            return choice("guards", value, Set.of("all", "off", "on"));
        }
        for (String p : value.split(";", -1)) {
            if (!p.matches("[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*"
                    + "(\\.[\\p{javaJavaIdentifierStart}][\\p{javaJavaIdentifierPart}]*)+")) {
                throw new IllegalArgumentException(
                        "guards is '" + value
                                + "': expected on, off, all, or package names with a dot (com.example;org.acme) separated by ;");
            }
        }
        return put("guards", value);
    }

    AgentArgument semaphores(String value) {
        return choice("semaphores", value, ON_OFF);
    }

    AgentArgument jmx(String value) {
        return choice("jmx", value, ON_OFF);
    }

    /** {@code watchdog}: milliseconds (10 to 3,600,000) or {@code off}. */
    AgentArgument watchdog(String value) {
        if (value == null || value.isEmpty()) {
            return this;
        }
        if (!value.equals("off")) {
            long ms;
            try {
                ms = Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(
                        "watchdog is '" + value + "': expected milliseconds (10 to 3600000) or off", e);
            }
            if (ms < 10 || ms > 3_600_000) {
                throw new IllegalArgumentException("watchdog is " + ms + " ms: expected 10 to 3600000, or off");
            }
        }
        return put("watchdog", value);
    }

    /** {@code spec}: more locking specifications; each file must exist. */
    AgentArgument specs(List<File> files) {
        return files("spec", "specs", files);
    }

    /** {@code suppress}: suppression files; each file must exist. */
    AgentArgument suppressions(List<File> files) {
        return files("suppress", "suppressions", files);
    }

    /** {@code wrappers}: lock wrapper classes (binary names). */
    AgentArgument wrappers(List<String> classes) {
        if (classes == null || classes.isEmpty()) {
            return this;
        }
        for (String c : classes) {
            if (c == null || !CLASS_NAME.matcher(c).matches()) {
                throw new IllegalArgumentException("wrappers: '" + c + "' is not a Java class name");
            }
        }
        return put("wrappers", String.join(";", classes));
    }

    private AgentArgument files(String key, String parameter, List<File> files) {
        if (files == null || files.isEmpty()) {
            return this;
        }
        List<String> paths = new ArrayList<>();
        for (File f : files) {
            if (f == null || !f.isFile()) {
                throw new IllegalArgumentException(parameter + ": no such file " + (f == null ? "(empty)" : f));
            }
            paths.add(path(f, parameter));
        }
        return put(key, String.join(";", paths));
    }

    private AgentArgument choice(String key, String value, Set<String> allowed) {
        if (value == null || value.isEmpty()) {
            return this;
        }
        if (!allowed.contains(value)) {
            throw new IllegalArgumentException(
                    key + " is '" + value + "': expected one of " + String.join(", ", new TreeSet<>(allowed)));
        }
        return put(key, value);
    }

    private AgentArgument put(String key, String value) {
        options.put(key, value);
        return this;
    }

    /** A path the agent's option syntax can carry: no ',' (between options), ';' (between files) or '"'. */
    private static String path(File f, String parameter) {
        String p = f.getAbsolutePath();
        if (p.indexOf(',') >= 0 || p.indexOf(';') >= 0 || p.indexOf('"') >= 0) {
            throw new IllegalArgumentException(parameter + ": the path " + p
                    + " has a ',', ';' or '\"', which the agent's options cannot carry; move the file");
        }
        return p;
    }

    /** The options, {@code key=value,key=value}. */
    String options() {
        StringBuilder b = new StringBuilder();
        options.forEach((k, v) ->
                b.append(b.length() == 0 ? "" : ",").append(k).append('=').append(v));
        return b.toString();
    }

    /**
     * The whole JVM argument for {@code agentJar}, in double quotes when it has white space
     * (Surefire splits {@code argLine} at white space outside quotes).
     */
    String jvmArgument(File agentJar) {
        String arg = "-javaagent:" + agentJar.getAbsolutePath() + "=" + options();
        return arg.chars().anyMatch(Character::isWhitespace) ? '"' + arg + '"' : arg;
    }

    /**
     * {@code previous} (the property's value, may be null) with this agent appended, after taking
     * out a jlockdep agent an earlier {@code prepare-agent} put there: another agent (JaCoCo's)
     * and other arguments stay, in their order, so chaining works whichever plugin runs first.
     */
    String appendTo(String previous, File agentJar) {
        List<String> kept = new ArrayList<>();
        for (String arg : split(previous == null ? "" : previous)) {
            String bare = arg.length() > 1 && arg.startsWith("\"") && arg.endsWith("\"")
                    ? arg.substring(1, arg.length() - 1)
                    : arg;
            if (!isJlockdepAgent(bare)) {
                kept.add(arg);
            }
        }
        kept.add(jvmArgument(agentJar));
        return String.join(" ", kept);
    }

    private static boolean isJlockdepAgent(String arg) {
        if (!arg.startsWith("-javaagent:")) {
            return false;
        }
        String jar = arg.substring("-javaagent:".length());
        int eq = jar.indexOf('=');
        String name = new File(eq < 0 ? jar : jar.substring(0, eq)).getName();
        return name.startsWith("jlockdep-agent") && name.endsWith(".jar");
    }

    /** {@code argLine} split as Surefire splits it: at white space outside double quotes. */
    static List<String> split(String line) {
        List<String> args = new ArrayList<>();
        StringBuilder cur = new StringBuilder();
        boolean quoted = false;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (c == '"') {
                quoted = !quoted;
                cur.append(c);
            } else if (Character.isWhitespace(c) && !quoted) {
                if (cur.length() > 0) {
                    args.add(cur.toString());
                    cur.setLength(0);
                }
            } else {
                cur.append(c);
            }
        }
        if (cur.length() > 0) {
            args.add(cur.toString());
        }
        return args;
    }
}
