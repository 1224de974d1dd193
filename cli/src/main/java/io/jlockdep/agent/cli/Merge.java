package io.jlockdep.agent.cli;

import io.jlockdep.agent.report.Json;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code merge REPORT...}: the union of the dependency graphs of several JVMs (Surefire forks,
 * modules of one build), and the cycles that no single JVM saw.
 *
 * <p>Lock classes are matched by name across JVMs (names are allocation sites, Java classes and
 * ww classes, never identity hashes). Each dependency keeps every process it was seen in. For
 * each dependency u -> v of the union the shortest path v ->* u is searched (breadth first, as
 * lockdep's check_noncircular); with the dependency it is a cycle, kept once (by its set of
 * classes). A cycle all of whose dependencies were seen in one process is left out: that JVM
 * saw it, and reported it if it could deadlock. The rest are cross-JVM cycles: each dependency
 * is listed with the process, thread and stack of its first occurrence.
 */
public final class Merge {

    /** One dependency as one process saw it. */
    public record Seen(long pid, String report, String thread, List<String> stack) {}

    /** A dependency of the union graph and where it was seen. */
    public record Dependency(String from, String to, List<Seen> seen) {
        Set<Long> pids() {
            Set<Long> pids = new LinkedHashSet<>();
            seen.forEach(s -> pids.add(s.pid()));
            return pids;
        }
    }

    /** A cycle of the union: its dependencies in order, the first closing it. */
    public record Cycle(List<Dependency> dependencies) {
        /** "A -> B -> A". */
        public String names() {
            StringBuilder names = new StringBuilder(dependencies.get(0).from());
            for (Dependency d : dependencies) {
                names.append(" -> ").append(d.to());
            }
            return names.toString();
        }

        /** The processes that saw a dependency of it. */
        public Set<Long> pids() {
            Set<Long> all = new LinkedHashSet<>();
            dependencies.forEach(d -> all.addAll(d.pids()));
            return all;
        }

        /** Whether one process saw every dependency of it. */
        boolean seenByOneProcess() {
            Set<Long> common = null;
            for (Dependency d : dependencies) {
                Set<Long> pids = d.pids();
                if (common == null) {
                    common = new LinkedHashSet<>(pids);
                } else {
                    common.retainAll(pids);
                }
            }
            return common != null && !common.isEmpty();
        }
    }

    private final Map<String, Map<String, Dependency>> out = new LinkedHashMap<>();
    private final List<String> reports = new ArrayList<>();
    private final List<Long> pids = new ArrayList<>();
    private final Set<String> classNames = new LinkedHashSet<>();
    /** Every violation the JVMs reported themselves, as read, with {@code pid} and {@code report} added. */
    private final List<Map<String, Object>> violations = new ArrayList<>();

    /** Adds one report file (its shape checked: {@link ReportFile}). */
    @SuppressWarnings("unchecked")
    public void add(Path file) throws IOException {
        Map<String, Object> json = ReportFile.read(file);
        Map<String, Object> graph = (Map<String, Object>) json.get("graph");
        Map<String, Object> head = (Map<String, Object>) json.get("jlockdep");
        if (Boolean.TRUE.equals(head.get("merged"))) {
            throw new ReportFile.BadReportException(
                    file,
                    "it is a merged report (merge --json, or the Maven plugin's summary); merge the JVMs' own reports");
        }
        long pid = ((Number) head.get("pid")).longValue();
        reports.add(file.toString());
        pids.add(pid);
        for (Map<String, Object> v : (List<Map<String, Object>>) json.get("violations")) {
            Map<String, Object> copy = new LinkedHashMap<>(v);
            copy.put("pid", pid);
            copy.put("report", file.toString());
            violations.add(copy);
        }
        for (Map<String, Object> c : (List<Map<String, Object>>) graph.getOrDefault("classes", List.of())) {
            classNames.add((String) c.get("name"));
        }
        for (Map<String, Object> e : (List<Map<String, Object>>) graph.get("edges")) {
            String from = (String) e.get("from");
            String to = (String) e.get("to");
            List<String> stack = e.get("stack") == null ? List.of() : (List<String>) e.get("stack");
            classNames.add(from);
            classNames.add(to);
            Dependency d = out.computeIfAbsent(from, k -> new LinkedHashMap<>())
                    .computeIfAbsent(to, k -> new Dependency(from, to, new ArrayList<>()));
            d.seen().add(new Seen(pid, file.toString(), (String) e.get("thread"), stack));
        }
    }

    public int dependencyCount() {
        int n = 0;
        for (Map<String, Dependency> m : out.values()) {
            n += m.size();
        }
        return n;
    }

    public int classCount() {
        return classNames.size();
    }

    /** The violations the JVMs reported themselves, each with the {@code pid} and {@code report} it came from. */
    public List<Map<String, Object>> violations() {
        return Collections.unmodifiableList(violations);
    }

    /** The reports added, in order. */
    public List<String> reports() {
        return Collections.unmodifiableList(reports);
    }

    /**
     * Every cycle of the union, each once; with {@code crossOnly}, only those no single process saw.
     * Near-linear: the strongly connected components first (Tarjan, iterative), then, for each
     * dependency inside a component, the shortest way back within that component (breadth
     * first), skipping dependencies already on a cycle found: each dependency on a cycle is in at
     * least one cycle reported. For cross-JVM cycles only the dependencies that the process with
     * the most dependencies did not see are searched from (see the loop). The shortest cycle
     * through a dependency is the one reported, as lockdep reports one: a longer cross-JVM cycle
     * through a dependency whose shortest cycle one process saw whole is not listed. Dependencies between components close no cycle and cost nothing
     * more; an acyclic graph of 100,000 dependencies is one pass.
     */
    public List<Cycle> cycles(boolean crossOnly) {
        Map<String, Integer> component = components();
        List<Cycle> found = new ArrayList<>();
        Set<Set<String>> known = new LinkedHashSet<>();
        // a dependency already on a cycle found needs no search of its own (in one long cycle,
        // every dependency would otherwise search the whole cycle again)
        Set<Dependency> covered = java.util.Collections.newSetFromMap(new java.util.IdentityHashMap<>());
        // A cycle every dependency of which the process with the most dependencies saw is not a
        // cross-JVM cycle: every cross-JVM cycle has a dependency that process did not see, so
        // only those need a search of their own (a load test's big report and a few small ones:
        // a few searches, not one per dependency).
        Long biggest = crossOnly ? biggestProcess() : null;
        for (Map<String, Dependency> m : out.values()) {
            for (Dependency closing : m.values()) {
                Integer c = component.get(closing.from());
                if (c == null
                        || !c.equals(component.get(closing.to()))
                        || covered.contains(closing)
                        || biggest != null && closing.pids().contains(biggest)) {
                    continue;
                }
                List<Dependency> path = shortestPath(closing.to(), closing.from(), c, component);
                if (path == null) {
                    continue;
                }
                List<Dependency> deps = new ArrayList<>();
                deps.add(closing);
                deps.addAll(path);
                covered.addAll(deps);
                Set<String> key = new java.util.TreeSet<>();
                deps.forEach(d -> key.add(d.from()));
                if (!known.add(key)) {
                    continue;
                }
                Cycle cycle = new Cycle(Collections.unmodifiableList(deps));
                if (!crossOnly || !cycle.seenByOneProcess()) {
                    found.add(cycle);
                }
            }
        }
        return found;
    }

    /** The process that saw the most dependencies, or null when there are none. */
    private Long biggestProcess() {
        Map<Long, Integer> counts = new HashMap<>();
        for (Map<String, Dependency> m : out.values()) {
            for (Dependency d : m.values()) {
                for (Long pid : d.pids()) {
                    counts.merge(pid, 1, Integer::sum);
                }
            }
        }
        Long best = null;
        for (Map.Entry<Long, Integer> e : counts.entrySet()) {
            if (best == null || e.getValue() > counts.get(best)) {
                best = e.getKey();
            }
        }
        return best;
    }

    /**
     * The strongly connected component of each class that is on a cycle (components of one class
     * without a self-dependency are left out). Tarjan's algorithm with an explicit stack, so a
     * chain of 100,000 dependencies does not overflow the thread's stack.
     */
    private Map<String, Integer> components() {
        Map<String, Integer> index = new HashMap<>();
        Map<String, Integer> low = new HashMap<>();
        ArrayDeque<String> stack = new ArrayDeque<>();
        Set<String> onStack = new java.util.HashSet<>();
        Map<String, Integer> component = new HashMap<>();
        int counter = 0;
        int components = 0;
        Set<String> all = new LinkedHashSet<>(out.keySet());
        for (String root : all) {
            if (index.containsKey(root)) {
                continue;
            }
            // frames: the class and an iterator over its dependencies
            ArrayDeque<Object[]> frames = new ArrayDeque<>();
            index.put(root, counter);
            low.put(root, counter++);
            stack.push(root);
            onStack.add(root);
            frames.push(new Object[] {
                root, out.getOrDefault(root, Map.of()).values().iterator()
            });
            while (!frames.isEmpty()) {
                Object[] frame = frames.peek();
                String v = (String) frame[0];
                @SuppressWarnings("unchecked")
                java.util.Iterator<Dependency> it = (java.util.Iterator<Dependency>) frame[1];
                if (it.hasNext()) {
                    String w = it.next().to();
                    if (!index.containsKey(w)) {
                        index.put(w, counter);
                        low.put(w, counter++);
                        stack.push(w);
                        onStack.add(w);
                        frames.push(new Object[] {
                            w, out.getOrDefault(w, Map.of()).values().iterator()
                        });
                    } else if (onStack.contains(w)) {
                        low.put(v, Math.min(low.get(v), index.get(w)));
                    }
                    continue;
                }
                frames.pop();
                if (!frames.isEmpty()) {
                    String parent = (String) frames.peek()[0];
                    low.put(parent, Math.min(low.get(parent), low.get(v)));
                }
                if (low.get(v).equals(index.get(v))) {
                    List<String> members = new ArrayList<>();
                    String w;
                    do {
                        w = stack.pop();
                        onStack.remove(w);
                        members.add(w);
                    } while (!w.equals(v));
                    boolean cyclic =
                            members.size() > 1 || out.getOrDefault(v, Map.of()).containsKey(v);
                    if (cyclic) {
                        for (String member : members) {
                            component.put(member, components);
                        }
                        components++;
                    }
                }
            }
        }
        return component;
    }

    /** Breadth-first shortest path of dependencies from {@code start} to {@code target} inside component {@code c}, or null. */
    private List<Dependency> shortestPath(String start, String target, int c, Map<String, Integer> component) {
        Map<String, Dependency> via = new HashMap<>();
        ArrayDeque<String> queue = new ArrayDeque<>();
        queue.add(start);
        via.put(start, null);
        while (!queue.isEmpty()) {
            String cur = queue.poll();
            if (cur.equals(target)) {
                List<Dependency> path = new ArrayList<>();
                for (String n = target; via.get(n) != null; n = via.get(n).from()) {
                    path.add(via.get(n));
                }
                Collections.reverse(path);
                return path;
            }
            for (Dependency d : out.getOrDefault(cur, Map.of()).values()) {
                Integer dc = component.get(d.to());
                if (dc != null && dc == c && !via.containsKey(d.to())) {
                    via.put(d.to(), d);
                    queue.add(d.to());
                }
            }
        }
        return null;
    }

    /** The summary line and the cross-JVM cycles in the kernel's words, frames trimmed for a console. */
    public String render(List<Cycle> cycles) {
        StringBuilder b = new StringBuilder();
        b.append("jlockdep merge: ")
                .append(reports.size())
                .append(" report(s), ")
                .append(classCount())
                .append(" lock classes, ")
                .append(dependencyCount())
                .append(" dependencies, ")
                .append(violations.size())
                .append(" violation(s) reported by the JVMs themselves\n");
        if (cycles.isEmpty()) {
            b.append("no circular dependency that no single JVM saw\n");
            return b.toString();
        }
        for (Cycle c : cycles) {
            b.append('\n').append(cycleText(c, CONSOLE_FRAMES));
        }
        return b.toString();
    }

    /** The most frames of one stack printed on a console; the files keep every frame. */
    static final int CONSOLE_FRAMES = 12;

    private static final String CROSS_TITLE = "possible circular locking dependency across JVMs";
    private static final String CROSS_FIX = "Take these locks in one order everywhere; the processes above run"
            + " code that takes them in orders that can deadlock when it runs in one JVM.";

    /**
     * One cross-JVM cycle in the kernel's words; stacks trimmed for a console to {@code maxFrames}
     * and the test harness's frames ({@link Frames}), or whole with {@code Integer.MAX_VALUE}.
     */
    static String cycleText(Cycle c, int maxFrames) {
        StringBuilder b = new StringBuilder();
        String line = "=".repeat(62);
        b.append(line).append('\n');
        b.append("WARNING: ").append(CROSS_TITLE).append('\n');
        b.append("jlockdep: rule lockdep/circular-dependency\n");
        b.append("-".repeat(62)).append('\n');
        b.append(c.names())
                .append("\nno single process took all of these; they were seen in processes ")
                .append(c.pids())
                .append(":\n");
        int i = c.dependencies().size() - 1;
        for (Dependency d : c.dependencies()) {
            Seen s = d.seen().get(0);
            b.append("\n-> #")
                    .append(i--)
                    .append(" (")
                    .append(d.from())
                    .append(" -> ")
                    .append(d.to())
                    .append("):\n");
            b.append("       [first taken by thread ")
                    .append(s.thread())
                    .append(" in process ")
                    .append(s.pid())
                    .append(", ")
                    .append(s.report())
                    .append("]\n");
            for (String frame : maxFrames == Integer.MAX_VALUE ? s.stack() : Frames.trim(s.stack(), maxFrames)) {
                b.append("       ").append(frame).append('\n');
            }
            for (int k = 1; k < d.seen().size(); k++) {
                Seen o = d.seen().get(k);
                b.append("       (also in process ")
                        .append(o.pid())
                        .append(", thread ")
                        .append(o.thread())
                        .append(")\n");
            }
        }
        b.append("\nfix:   ").append(CROSS_FIX).append('\n');
        return b.toString();
    }

    /**
     * The merged report, in the shape of one JVM's report so that {@code render} draws it: a
     * header naming the reports merged ({@code merged: true}), every violation the JVMs reported
     * (with the {@code pid} and {@code report} it came from) followed by one
     * {@code lockdep/circular-dependency} per cross-JVM cycle, the union graph (each dependency
     * with every process it was seen in), and the cross-JVM cycles again under
     * {@code crossJvmCycles}. Stacks are whole.
     */
    public String toJson(List<Cycle> cycles) {
        Json j = new Json().beginObject();
        j.name("jlockdep")
                .beginObject()
                .field("version", 1)
                .field("merged", true)
                .field("mode", "merged");
        j.name("reports").beginArray();
        reports.forEach(j::value);
        j.endArray();
        j.name("pids").beginArray();
        pids.forEach(j::value);
        j.endArray();
        j.endObject();
        j.name("violations").beginArray();
        for (Map<String, Object> v : violations) {
            j.any(v);
        }
        for (Cycle c : cycles) {
            Dependency closing = c.dependencies().get(0);
            j.beginObject()
                    .field("rule", "lockdep/circular-dependency")
                    .field("title", CROSS_TITLE)
                    .field(
                            "message",
                            c.names() + ": no single process took all of these; seen in processes " + c.pids())
                    .field("citation", "Documentation/locking/lockdep-design.rst: lock-class dependency cycles")
                    .field("fix", CROSS_FIX)
                    .field("thread", closing.seen().get(0).thread())
                    .field("crossJvm", true);
            j.name("chain").beginArray();
            for (Dependency d : c.dependencies()) {
                Seen s = d.seen().get(0);
                j.beginObject().field("from", d.from()).field("to", d.to()).field("thread", s.thread());
                j.field("pid", s.pid());
                j.name("stack").any(s.stack());
                j.endObject();
            }
            j.endArray();
            j.name("stack").beginArray().endArray();
            j.field("text", cycleText(c, Integer.MAX_VALUE));
            j.endObject();
        }
        j.endArray();
        j.name("graph").beginObject();
        j.name("classes").beginArray();
        for (String name : classNames) {
            j.beginObject().field("name", name).endObject();
        }
        j.endArray();
        j.name("edges").beginArray();
        for (Map<String, Dependency> m : out.values()) {
            for (Dependency d : m.values()) {
                edge(j, d);
            }
        }
        j.endArray().endObject();
        j.name("crossJvmCycles").beginArray();
        for (Cycle c : cycles) {
            j.beginObject().field("rule", "lockdep/circular-dependency");
            j.name("dependencies").beginArray();
            for (Dependency d : c.dependencies()) {
                edge(j, d);
            }
            j.endArray().endObject();
        }
        j.endArray();
        return j.endObject().toString();
    }

    /** A dependency: the first process's thread and stack at its top level, as in a JVM's report, and every process under {@code seen}. */
    private static void edge(Json j, Dependency d) {
        Seen first = d.seen().get(0);
        j.beginObject().field("from", d.from()).field("to", d.to()).field("thread", first.thread());
        j.field("pid", first.pid());
        j.name("stack").any(first.stack());
        j.name("seen").beginArray();
        for (Seen s : d.seen()) {
            j.beginObject().field("pid", s.pid()).field("report", s.report()).field("thread", s.thread());
            j.name("stack").any(s.stack());
            j.endObject();
        }
        j.endArray().endObject();
    }
}
