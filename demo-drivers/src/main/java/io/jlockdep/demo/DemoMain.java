package io.jlockdep.demo;

import io.jlockdep.demo.scenario.Catalogue;
import io.jlockdep.demo.scenario.Scenario;
import io.jlockdep.testkit.AgentJvm;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * The demo's runner:
 * {@code java -javaagent:agent/target/jlockdep-agent.jar -jar demo-drivers/target/jlockdep-demo.jar [--list] [SCENARIO...]}.
 *
 * <p>Each scenario runs in a fresh JVM of its own (same agent, same options, plus a report file
 * and the scenario's mode), so no scenario sees another's graph; its reports are printed as they
 * happen. The runner then reads the rule IDs from each JSON report and prints a table: scenario,
 * expected rules, reported rules, verdict. Exit status 0 only when every scenario matched.
 */
public final class DemoMain {

    private static final long TIMEOUT_SECONDS = 120;
    private static final String RUN_ONE = "--run-one";

    private DemoMain() {}

    public static void main(String[] args) throws Exception {
        if (args.length == 1 && args[0].equals("--list")) {
            for (Scenario s : Catalogue.all()) {
                System.out.printf("%-26s %s%n", s.name(), s.description());
            }
            return;
        }
        if (args.length == 2 && args[0].equals(RUN_ONE)) {
            Scenario s = Catalogue.get(args[1]);
            if (s == null) {
                System.exit(2);
            }
            Catalogue.runOne(s, false);
            return;
        }
        List<Scenario> chosen = new ArrayList<>();
        for (String a : args) {
            Scenario s = Catalogue.get(a);
            if (s == null) {
                System.err.println("jlockdep-demo: no scenario '" + a + "' (see --list)");
                System.exit(2);
            }
            chosen.add(s);
        }
        if (chosen.isEmpty()) {
            chosen.addAll(Catalogue.all());
        }
        String agent = agentArgument();
        if (agent == null) {
            System.err.println(String.join(
                    System.lineSeparator(),
                    "jlockdep-demo: the jlockdep agent is not attached, so nothing would be checked.",
                    "Run it as:",
                    "  java -javaagent:agent/target/jlockdep-agent.jar -jar demo-drivers/target/jlockdep-demo.jar",
                    "(build both first with: mvn -B -q -DskipTests package)"));
            System.exit(2);
        }
        System.exit(runAll(agent, chosen) ? 0 : 1);
    }

    /** The {@code -javaagent:...jlockdep-agent...} argument this JVM was started with, or null. */
    static String agentArgument() {
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("-javaagent:") && a.contains("jlockdep-agent")) {
                return a;
            }
        }
        return null;
    }

    /**
     * The agent options for a child: the user's, with this scenario's mode (its report is added by
     * the launcher) and, unless the user chose, {@code guards=io.jlockdep.demo}: the drivers' lock
     * contracts are checked although they come in a jar, which the default leaves to its authors
     * as it does any library's.
     */
    static String childOptions(String userOptions, boolean failMode) {
        List<String> options = new ArrayList<>();
        boolean guards = false;
        for (String o : userOptions.split(",", -1)) {
            if (!o.startsWith("mode=") && !o.startsWith("report=") && !o.isBlank()) {
                options.add(o);
                guards |= o.startsWith("guards=");
            }
        }
        if (!guards) {
            options.add("guards=io.jlockdep.demo");
        }
        options.add("mode=" + (failMode ? "fail" : "warn"));
        return String.join(",", options);
    }

    private record Outcome(Scenario scenario, Set<String> reported, String ending, boolean matched) {}

    private static boolean runAll(String agent, List<Scenario> scenarios) throws IOException, InterruptedException {
        Path dir = Files.createTempDirectory("jlockdep-demo");
        List<Outcome> outcomes = new ArrayList<>();
        for (Scenario s : scenarios) {
            System.out.println();
            System.out.println("=== " + s.name() + " — " + s.description() + (s.failMode() ? "  [mode=fail]" : ""));
            System.out.flush();
            outcomes.add(runChild(agent, s, dir));
        }
        System.out.println();
        String format = "%-26s %-36s %-36s %s%n";
        System.out.printf(format, "SCENARIO", "EXPECTED", "REPORTED", "VERDICT");
        boolean all = true;
        for (Outcome o : outcomes) {
            System.out.printf(
                    format,
                    o.scenario.name(),
                    rules(o.scenario.expected()),
                    rules(o.reported),
                    (o.matched ? "ok" : "MISMATCH") + (o.ending.isEmpty() ? "" : " (" + o.ending + ")"));
            all &= o.matched;
        }
        long ok = outcomes.stream().filter(Outcome::matched).count();
        System.out.println();
        System.out.println(ok + "/" + outcomes.size() + " scenarios matched");
        return all;
    }

    private static String rules(Set<String> rules) {
        return rules.isEmpty() ? "-" : String.join(" ", rules);
    }

    private static Outcome runChild(String agent, Scenario s, Path dir) throws IOException, InterruptedException {
        AgentJvm jvm = AgentJvm.fromAgentArgument(agent);
        AgentJvm.Result r = jvm.options(childOptions(jvm.options(), s.failMode()))
                .report(dir.resolve(s.name() + ".json"))
                .classPath(System.getProperty("java.class.path"))
                .timeoutSeconds(TIMEOUT_SECONDS)
                .inheritIO()
                .run(DemoMain.class.getName(), RUN_ONE, s.name());
        String ending;
        if (r.timedOut()) {
            ending = "hung, killed after " + TIMEOUT_SECONDS + " s";
        } else {
            int code = r.exitCode();
            ending = code == 0 ? "" : code == 3 ? "stopped by LockdepViolationError" : "exit " + code;
        }
        Set<String> reported = new TreeSet<>(r.rules());
        boolean endedRight = s.failMode() ? ending.equals("stopped by LockdepViolationError") : ending.isEmpty();
        return new Outcome(s, reported, ending, endedRight && reported.equals(s.expected()));
    }
}
