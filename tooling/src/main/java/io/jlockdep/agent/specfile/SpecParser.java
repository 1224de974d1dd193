package io.jlockdep.agent.specfile;

import io.jlockdep.agent.engine.ApiRule;
import io.jlockdep.agent.report.Echo;
import io.jlockdep.agent.spec.LockPath;
import io.jlockdep.agent.spec.LockSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Parses the {@code .lockspec} format. Line-oriented; {@code #} at the start of a word starts a
 * comment (inside a word it separates class and method); strings are in
 * double quotes with {@code \"} and {@code \\} escapes.
 *
 * <pre>
 * spec dma-buf
 *
 * rule importer-locked must-hold
 *   text "Importers must hold the reservation lock when calling these functions"
 *   cite "drivers/dma-buf/dma-buf.c: DMA-BUF locking convention, importer rule 1"
 *   method io.jlockdep.dmabuf.DmaBuf#pin lock arg0.dmabuf().resv() named "attach->dmabuf->resv" as dma_buf_pin
 * end
 * </pre>
 *
 * Rule kinds: {@code must-hold}, {@code must-not-hold}, {@code callback-locked},
 * {@code callback-unlocked}, {@code must-not-acquire-inside}. A method is
 * {@code <class>#<method>} with an optional {@code (<type>, ...)} to pick an overload; for callback
 * rules the class is the interface or base class whose implementations are checked. A lock path
 * starts at {@code this}, {@code argN} or {@code return} and follows no-argument methods
 * ({@code name()}) or fields ({@code name}). Every error names the file, line and column and what
 * was expected.
 */
public final class SpecParser {

    // The spec's lexical rules are checked by hand, not with java.util.regex: every JVM parses the
    // built-in spec before main, interpreted, and the regular expressions were most of that time.

    /** A spec or rule name: {@code [a-z][a-z0-9-]*}. */
    static boolean isName(String s) {
        if (s.isEmpty() || s.charAt(0) < 'a' || s.charAt(0) > 'z') {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            char c = s.charAt(i);
            if (!(c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-')) {
                return false;
            }
        }
        return true;
    }

    /** An ASCII Java identifier: {@code [A-Za-z_$][A-Za-z0-9_$]*}. */
    static boolean isIdent(String s) {
        return isIdent(s, 0, s.length());
    }

    private static boolean isIdent(String s, int from, int to) {
        if (from >= to || !identStart(s.charAt(from))) {
            return false;
        }
        for (int i = from + 1; i < to; i++) {
            if (!identStart(s.charAt(i)) && !(s.charAt(i) >= '0' && s.charAt(i) <= '9')) {
                return false;
            }
        }
        return true;
    }

    private static boolean identStart(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || c == '$';
    }

    /** A dotted Java name: identifiers ({@link #isIdent}) separated by single dots. */
    static boolean isJavaName(String s) {
        int from = 0;
        while (true) {
            int dot = s.indexOf('.', from);
            int to = dot < 0 ? s.length() : dot;
            if (!isIdent(s, from, to)) {
                return false;
            }
            if (dot < 0) {
                return true;
            }
            from = dot + 1;
        }
    }

    /** A member name as the JVM has them: a Java identifier (any letters), {@code <init>} or {@code <clinit>}. */
    private static boolean isMemberName(String s) {
        if (s.equals("<init>") || s.equals("<clinit>")) {
            return true;
        }
        if (s.isEmpty() || !Character.isJavaIdentifierStart(s.charAt(0))) {
            return false;
        }
        for (int i = 1; i < s.length(); i++) {
            if (!Character.isJavaIdentifierPart(s.charAt(i))) {
                return false;
            }
        }
        return true;
    }

    /** The digits after "arg" in {@code argN}, or -1 when {@code head} is not arg followed by digits. */
    private static int argIndex(String head) {
        if (!head.startsWith("arg") || head.length() == 3) {
            return -1;
        }
        int n = 0;
        for (int i = 3; i < head.length(); i++) {
            char c = head.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = Math.min(n * 10 + (c - '0'), 1000); // any large index is just "too large"
        }
        return n;
    }

    private static final String KINDS =
            "must-hold, must-not-hold, callback-locked, callback-unlocked, must-not-acquire-inside";

    private final String source;
    private int lineNo;

    private SpecParser(String source) {
        this.source = source;
    }

    /** Parses a spec file. */
    public static LockSpec parse(Path file) throws IOException {
        return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    }

    /** Parses a spec shipped as a resource. */
    public static LockSpec parseResource(String name, InputStream in) throws IOException {
        if (in == null) {
            throw new IOException("spec resource " + name + " not found");
        }
        try (in) {
            return parse(name, new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
    }

    /** Parses {@code text}, naming {@code source} in errors. */
    public static LockSpec parse(String source, String text) {
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1); // a byte-order mark some editors write
        }
        return new SpecParser(source).run(text);
    }

    private record Token(String text, int column, boolean quoted) {}

    private SpecException error(int column, String message) {
        return new SpecException(source, lineNo, column, message);
    }

    /** {@code text} cut at each line feed, a carriage return before one dropped ({@code split("\\r?\\n", -1)}). */
    private static String[] lines(String text) {
        List<String> lines = new ArrayList<>();
        int from = 0;
        while (true) {
            int nl = text.indexOf('\n', from);
            if (nl < 0) {
                lines.add(text.substring(from));
                return lines.toArray(new String[0]);
            }
            int end = nl > from && text.charAt(nl - 1) == '\r' ? nl - 1 : nl;
            lines.add(text.substring(from, end));
            from = nl + 1;
        }
    }

    private LockSpec run(String text) {
        String specName = null;
        List<LockSpec.Rule> rules = new ArrayList<>();
        List<LockSpec.ClassAssignment> classes = new ArrayList<>();
        Set<String> ruleNames = new HashSet<>();
        RuleBuilder current = null;
        String[] lines = lines(text);
        for (int i = 0; i < lines.length; i++) {
            lineNo = i + 1;
            List<Token> tokens = tokenize(lines[i]);
            if (tokens.isEmpty()) {
                continue;
            }
            Token head = tokens.get(0);
            if (head.quoted) {
                throw error(head.column, "expected a keyword, found a string");
            }
            if (specName == null) {
                if (!head.text.equals("spec")) {
                    throw error(
                            head.column,
                            "expected 'spec <name>' as the first statement, found " + Echo.quote(head.text));
                }
                specName = name(tokens, 1, "spec name");
                end(tokens, 2);
                continue;
            }
            switch (head.text) {
                case "spec":
                    throw error(head.column, "a file declares one spec; 'spec' again");
                case "rule": {
                    if (current != null) {
                        throw error(
                                head.column,
                                "'rule' inside rule " + Echo.quote(current.name) + " (line " + current.line
                                        + "): expected 'end' first");
                    }
                    String ruleName = name(tokens, 1, "rule name");
                    if (!ruleNames.add(ruleName)) {
                        throw error(tokens.get(1).column, "duplicate rule " + Echo.quote(ruleName));
                    }
                    Token kindToken = token(tokens, 2, "rule kind (" + KINDS + ")");
                    ApiRule.Kind kind = kind(kindToken);
                    end(tokens, 3);
                    current = new RuleBuilder(ruleName, kind, lineNo);
                    break;
                }
                case "text":
                case "cite": {
                    requireRule(current, head);
                    Token value = token(tokens, 1, "a quoted string");
                    if (!value.quoted) {
                        throw error(value.column, "expected a quoted string after " + Echo.quote(head.text));
                    }
                    end(tokens, 2);
                    if (head.text.equals("text")) {
                        if (current.text != null) {
                            throw error(head.column, "'text' given twice in rule " + Echo.quote(current.name));
                        }
                        current.text = value.text;
                    } else {
                        if (current.cite != null) {
                            throw error(head.column, "'cite' given twice in rule " + Echo.quote(current.name));
                        }
                        current.cite = value.text;
                    }
                    break;
                }
                case "method":
                    requireRule(current, head);
                    current.entries.add(entry(tokens));
                    break;
                case "class": {
                    if (current != null) {
                        throw error(
                                head.column,
                                "'class' inside rule " + Echo.quote(current.name) + ": expected 'end' first");
                    }
                    classes.add(classAssignment(tokens));
                    break;
                }
                case "end":
                    requireRule(current, head);
                    end(tokens, 1);
                    if (current.text == null) {
                        throw error(
                                head.column,
                                "rule " + Echo.quote(current.name) + " (line " + current.line + ") has no 'text'");
                    }
                    if (current.cite == null) {
                        throw error(
                                head.column,
                                "rule " + Echo.quote(current.name) + " (line " + current.line + ") has no 'cite'");
                    }
                    if (current.entries.isEmpty()) {
                        throw error(
                                head.column,
                                "rule " + Echo.quote(current.name) + " (line " + current.line + ") has no 'method'");
                    }
                    rules.add(new LockSpec.Rule(
                            current.name, current.kind, current.text, current.cite, current.entries, current.line));
                    current = null;
                    break;
                default:
                    throw error(
                            head.column,
                            "unknown statement '" + head.text
                                    + "' (expected spec, rule, text, cite, method, end or class)");
            }
        }
        lineNo = lines.length;
        if (specName == null) {
            throw error(1, "empty spec: expected 'spec <name>'");
        }
        if (current != null) {
            throw error(1, "rule " + Echo.quote(current.name) + " started at line " + current.line + " has no 'end'");
        }
        if (rules.isEmpty() && classes.isEmpty()) {
            throw error(1, "spec " + Echo.quote(specName) + " has no rule and no class");
        }
        return new LockSpec(specName, source, rules, classes);
    }

    /**
     * {@code class "NAME" field Owner.field} or {@code class "NAME" allocated-in Owner.method}: the
     * monitors read from that field, or the JDK locks allocated in that method, are the lock class NAME.
     */
    private LockSpec.ClassAssignment classAssignment(List<Token> tokens) {
        Token name = token(tokens, 1, "the lock class's name, quoted");
        if (!name.quoted || name.text.isBlank()) {
            throw error(name.column, "expected the lock class's name as a non-empty quoted string");
        }
        Token how = token(tokens, 2, "'field' or 'allocated-in'");
        if (how.quoted || !how.text.equals("field") && !how.text.equals("allocated-in")) {
            throw error(how.column, "expected 'field' or 'allocated-in', found " + Echo.quote(how.text));
        }
        Token target = token(tokens, 3, how.text.equals("field") ? "Owner.field" : "Owner.method");
        int dot = target.text.lastIndexOf('.');
        if (target.quoted
                || dot <= 0
                || !isJavaName(target.text.substring(0, dot))
                || !isMemberName(target.text.substring(dot + 1))) {
            throw error(
                    target.column,
                    "expected " + (how.text.equals("field") ? "Owner.field" : "Owner.method")
                            + " with a fully qualified class, found " + Echo.quote(target.text));
        }
        end(tokens, 4);
        return new LockSpec.ClassAssignment(name.text, how.text.equals("field"), target.text, lineNo);
    }

    private static final class RuleBuilder {
        final String name;
        final ApiRule.Kind kind;
        final int line;
        String text;
        String cite;
        final List<LockSpec.Entry> entries = new ArrayList<>();

        RuleBuilder(String name, ApiRule.Kind kind, int line) {
            this.name = name;
            this.kind = kind;
            this.line = line;
        }
    }

    private void requireRule(RuleBuilder current, Token head) {
        if (current == null) {
            throw error(
                    head.column, "" + Echo.quote(head.text) + " outside a rule: expected 'rule <name> <kind>' first");
        }
    }

    private ApiRule.Kind kind(Token t) {
        switch (t.text) {
            case "must-hold":
                return ApiRule.Kind.MUST_HOLD;
            case "must-not-hold":
                return ApiRule.Kind.MUST_NOT_HOLD;
            case "callback-locked":
                return ApiRule.Kind.CALLBACK_LOCKED;
            case "callback-unlocked":
                return ApiRule.Kind.CALLBACK_UNLOCKED;
            case "must-not-acquire-inside":
                return ApiRule.Kind.MUST_NOT_ACQUIRE_INSIDE;
            default:
                throw error(t.column, "unknown rule kind " + Echo.quote(t.text) + " (expected one of " + KINDS + ")");
        }
    }

    /** {@code method <class>#<method>[(types)] lock <path> [named "<text>"] [as <function>]}. */
    private LockSpec.Entry entry(List<Token> tokens) {
        Token target = token(tokens, 1, "<class>#<method>");
        String spec = target.text;
        int hash = spec.indexOf('#');
        if (target.quoted || hash <= 0 || hash == spec.length() - 1) {
            throw error(target.column, "expected <class>#<method>, found " + Echo.quote(spec));
        }
        String className = spec.substring(0, hash);
        String rest = spec.substring(hash + 1);
        if (!isJavaName(className)) {
            throw error(target.column, "" + Echo.quote(className) + " is not a class name");
        }
        List<String> parameters = null;
        String methodName = rest;
        int paren = rest.indexOf('(');
        if (paren >= 0) {
            if (!rest.endsWith(")")) {
                throw error(target.column + hash + 1 + paren, "expected ')' closing the parameter types");
            }
            methodName = rest.substring(0, paren);
            parameters = new ArrayList<>();
            String inside = rest.substring(paren + 1, rest.length() - 1).trim();
            if (!inside.isEmpty()) {
                for (String p : inside.split(",")) {
                    String type = p.trim();
                    if (!isJavaName(type.replace("[]", ""))) {
                        throw error(
                                target.column + hash + 2 + paren, "" + Echo.quote(type) + " is not a parameter type");
                    }
                    parameters.add(type);
                }
            }
        }
        if (!isIdent(methodName)) {
            throw error(target.column + hash + 1, "" + Echo.quote(methodName) + " is not a method name");
        }
        Token lockKw = token(tokens, 2, "'lock <path>'");
        if (lockKw.quoted || !lockKw.text.equals("lock")) {
            throw error(lockKw.column, "expected 'lock <path>' after the method, found " + Echo.quote(lockKw.text));
        }
        Token pathToken = token(tokens, 3, "a lock path (this, argN or return, then .member() or .field steps)");
        LockPath path = path(pathToken);
        String lockName = path.text();
        String function = className.substring(className.lastIndexOf('.') + 1) + "." + methodName;
        int i = 4;
        while (i < tokens.size()) {
            Token kw = tokens.get(i);
            if (!kw.quoted && kw.text.equals("named")) {
                Token v = token(tokens, i + 1, "a quoted lock description after 'named'");
                if (!v.quoted) {
                    throw error(v.column, "expected a quoted lock description after 'named'");
                }
                lockName = v.text;
                i += 2;
            } else if (!kw.quoted && kw.text.equals("as")) {
                Token v = token(tokens, i + 1, "the function's name after 'as'");
                if (v.quoted || !isIdent(v.text.replace(".", "_"))) {
                    throw error(v.column, "expected the function's name after 'as', found " + Echo.quote(v.text));
                }
                function = v.text;
                i += 2;
            } else {
                throw error(
                        kw.column,
                        "unexpected " + Echo.quote(kw.text)
                                + " (expected 'named \"...\"', 'as <name>' or the end of the line)");
            }
        }
        return new LockSpec.Entry(className, methodName, parameters, path, function, lockName, lineNo);
    }

    private LockPath path(Token t) {
        String text = t.text;
        if (t.quoted) {
            throw error(t.column, "a lock path is not quoted");
        }
        String[] parts = text.split("\\.", -1);
        int root;
        String head = parts[0];
        if (head.equals("this")) {
            root = LockPath.THIS;
        } else if (head.equals("return")) {
            root = LockPath.RETURN;
        } else if (argIndex(head) >= 0 && argIndex(head) <= 3 && head.length() == 4) {
            root = head.charAt(3) - '0';
        } else if (argIndex(head) >= 0) {
            throw error(t.column, "a lock path can start at arg0 to arg3, found " + Echo.quote(head));
        } else {
            throw error(t.column, "a lock path starts with this, argN or return, found " + Echo.quote(head));
        }
        List<String> steps = new ArrayList<>();
        List<Boolean> methods = new ArrayList<>();
        int column = t.column + head.length() + 1;
        for (int k = 1; k < parts.length; k++) {
            String part = parts[k];
            boolean method = part.endsWith("()");
            String member = method ? part.substring(0, part.length() - 2) : part;
            if (!isIdent(member)) {
                throw error(column, "expected a no-argument method name() or a field name, found " + Echo.quote(part));
            }
            steps.add(member);
            methods.add(method);
            column += part.length() + 1;
        }
        return new LockPath(root, steps, methods, text);
    }

    private String name(List<Token> tokens, int index, String what) {
        Token t = token(tokens, index, what);
        if (t.quoted || !isName(t.text)) {
            throw error(
                    t.column,
                    "expected a " + what + " of lowercase letters, digits and '-', found " + Echo.quote(t.text));
        }
        return t.text;
    }

    private Token token(List<Token> tokens, int index, String what) {
        if (index >= tokens.size()) {
            Token last = tokens.get(tokens.size() - 1);
            throw error(last.column + last.text.length() + (last.quoted ? 2 : 0) + 1, "expected " + what);
        }
        return tokens.get(index);
    }

    private void end(List<Token> tokens, int index) {
        if (tokens.size() > index) {
            Token extra = tokens.get(index);
            throw error(extra.column, "unexpected " + Echo.quote(extra.text) + " at the end of the statement");
        }
    }

    private List<Token> tokenize(String line) {
        List<Token> out = new ArrayList<>();
        int i = 0;
        int n = line.length();
        while (i < n) {
            char c = line.charAt(i);
            if (c == ' ' || c == '\t') {
                i++;
            } else if (c == '#') {
                break;
            } else if (c == '"') {
                int start = i;
                StringBuilder sb = new StringBuilder();
                i = readQuoted(line, start, sb);
                if (i < 0) {
                    throw error(start + 1, "unterminated string");
                }
                out.add(new Token(sb.toString(), start + 1, true));
            } else {
                int start = i;
                // '#' starts a comment only where a token would start: Class#method is one token.
                // Inside parentheses (a method's parameter types) blanks do not end the token.
                int depth = 0;
                while (i < n && (depth > 0 || (line.charAt(i) != ' ' && line.charAt(i) != '\t'))) {
                    char d = line.charAt(i);
                    depth += d == '(' ? 1 : d == ')' ? -1 : 0;
                    i++;
                }
                out.add(new Token(line.substring(start, i), start + 1, false));
            }
        }
        return out;
    }

    /**
     * Reads the double-quoted string that opens at {@code open} into {@code into} ({@code \"} and
     * {@code \\} are escapes).
     *
     * @return the index after the closing quote, or -1 when the line ends first
     */
    static int readQuoted(String line, int open, StringBuilder into) {
        int i = open + 1;
        int n = line.length();
        while (i < n) {
            char d = line.charAt(i);
            if (d == '\\' && i + 1 < n && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
                into.append(line.charAt(i + 1));
                i += 2;
            } else if (d == '"') {
                return i + 1;
            } else {
                into.append(d);
                i++;
            }
        }
        return -1;
    }
}
