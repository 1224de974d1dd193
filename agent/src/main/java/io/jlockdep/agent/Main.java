package io.jlockdep.agent;

/**
 * {@code java -jar jlockdep-agent.jar}: the agent jar is not an application; it says how to
 * attach it.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        String version = Main.class.getPackage().getImplementationVersion();
        if (args.length == 1 && (args[0].equals("--version") || args[0].equals("-V"))) {
            System.out.println("jlockdep " + version);
            return;
        }
        boolean help = args.length == 0 || args[0].equals("--help") || args[0].equals("-h");
        (help ? System.out : System.err).println(String.join(System.lineSeparator(),
                "jlockdep " + version + ": lockdep for the JVM",
                "",
                "Attach it to a JVM:",
                "  java -javaagent:jlockdep-agent.jar[=key=value,...] ...",
                "",
                "Options:",
                "  mode=warn|fail        fail throws LockdepViolationError at the violating call (default warn)",
                "  report=PATH           JSON report (a directory gets jlockdep-<pid>.json)",
                "  spec=PATH[;PATH...]   more locking specifications (.lockspec)",
                "  log=auto|slf4j|stderr|off   where reports are printed (default auto: SLF4J if present, else stderr)"));
        if (!help) {
            System.err.println("unknown command: " + String.join(" ", args));
            System.exit(2);
        }
    }
}
