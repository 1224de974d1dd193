package io.jlockdep.agent.specfile;

/** A malformed locking specification: names the file, line and column, and what was expected. */
public final class SpecException extends RuntimeException {

    private final String source;
    private final int line;
    private final int column;

    public SpecException(String source, int line, int column, String message) {
        super(source + ":" + line + ":" + column + ": " + message);
        this.source = source;
        this.line = line;
        this.column = column;
    }

    public String source() {
        return source;
    }

    public int line() {
        return line;
    }

    public int column() {
        return column;
    }
}
