package io.jlockdep.agent.specfile;

import io.jlockdep.agent.report.Echo;
import io.jlockdep.agent.spec.LockSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Reads the specifications a JVM checks: the built-in one from the agent jar, then the user's files. */
public final class SpecFiles {

    /** The built-in specification, a resource of the agent's tooling. */
    public static final String BUILTIN_SPEC = "io/jlockdep/agent/specfile/dma-buf.lockspec";

    /** The largest spec file read (the built-in one is 7 KB). */
    static final long MAX_SPEC_BYTES = 1 << 20;

    private SpecFiles() {}

    /** The built-in spec, then the user's; spec names must be unique (they prefix rule IDs). */
    public static List<LockSpec> load(List<Path> userSpecs) {
        List<LockSpec> specs = new ArrayList<>();
        try (InputStream in = SpecFiles.class.getClassLoader() == null
                ? ClassLoader.getSystemResourceAsStream(BUILTIN_SPEC)
                : SpecFiles.class.getClassLoader().getResourceAsStream(BUILTIN_SPEC)) {
            if (in == null) {
                throw new IllegalStateException("the built-in spec " + BUILTIN_SPEC + " is missing from the agent jar");
            }
            specs.add(SpecParser.parseResource("dma-buf.lockspec", in));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the built-in spec " + BUILTIN_SPEC, e);
        }
        Map<String, String> sources = new HashMap<>();
        sources.put(specs.get(0).name(), "the built-in " + specs.get(0).source());
        for (Path file : userSpecs) {
            LockSpec spec;
            String text = readBounded(file, "spec", "spec");
            try {
                spec = SpecParser.parse(file.toString(), text);
            } catch (SpecException e) {
                throw new IllegalArgumentException("malformed spec " + e.getMessage(), e);
            }
            String previous = sources.putIfAbsent(spec.name(), spec.source());
            if (previous != null) {
                throw new IllegalArgumentException("spec " + spec.source() + ": spec name '" + spec.name()
                        + "' is already used by " + previous + " (names prefix rule IDs and must be unique)");
            }
            specs.add(spec);
        }
        return specs;
    }

    /**
     * The text of a file an option names, read only if it is what such a file can be: a regular
     * file of bounded size (not /dev/zero, a FIFO that would block the JVM before main, or
     * gigabytes read into the heap at start), in UTF-8.
     *
     * @throws IllegalArgumentException naming the option and the file, and what is wrong
     */
    static String readBounded(Path file, String option, String noun) {
        String shown = Echo.quote(file.toAbsolutePath().toString());
        try {
            if (!Files.exists(file)) {
                throw new IllegalArgumentException("option '" + option + "': no such file " + shown);
            }
            if (!Files.isRegularFile(file)) {
                throw new IllegalArgumentException("option '" + option + "': " + shown + " is not a regular file"
                        + (Files.isDirectory(file) ? " (a directory)" : " (a device, pipe or socket)"));
            }
            long size = Files.size(file);
            if (size > MAX_SPEC_BYTES) {
                throw new IllegalArgumentException("option '" + option + "': " + shown + " is " + size + " bytes; a "
                        + noun + " file may be at most " + MAX_SPEC_BYTES + " bytes");
            }
            return Files.readString(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException("option '" + option + "': no such file " + shown);
        } catch (java.nio.charset.CharacterCodingException e) {
            throw new IllegalArgumentException("option '" + option + "': " + shown + " is not UTF-8 text");
        } catch (IOException e) {
            throw new IllegalArgumentException("option '" + option + "': cannot read " + shown + ": " + e);
        }
    }
}
