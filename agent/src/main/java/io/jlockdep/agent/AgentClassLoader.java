package io.jlockdep.agent;

import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URL;
import java.security.CodeSource;
import java.security.ProtectionDomain;
import java.security.cert.Certificate;
import java.util.Collections;
import java.util.Enumeration;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;

/**
 * The class loader of the agent's tooling: it defines the classes stored under {@code inst/} in
 * the agent jar (the installer, the spec parser, the relocated Byte Buddy and ASM) and serves
 * their class files and resources under their normal names (Byte Buddy reads advice classes
 * that way). Its parent is the platform class loader, so the tooling sees the JDK and, through
 * the boot class path, the engine and hooks; no other loader sees the tooling (the prefix keeps
 * those names out of the boot and the application class path).
 *
 * <p>This is OpenTelemetry's agent class loader idea (its {@code inst/} directory), kept small.
 */
public final class AgentClassLoader extends ClassLoader {

    /** Where the tooling's entries start inside the jar. */
    public static final String PREFIX = "inst/";

    /** The relocated Byte Buddy and ASM, which only the tooling has. */
    private static final String OWN = "io.jlockdep.shaded.";

    static {
        registerAsParallelCapable();
    }

    private final JarFile jar;
    private final URL jarUrl;
    private final ProtectionDomain domain;

    /**
     * @param jar the agent jar, kept open for the life of the JVM
     * @param jarUrl its location
     * @throws MalformedURLException if {@code jarUrl} cannot be made into a {@code jar:} URL
     */
    public AgentClassLoader(JarFile jar, URL jarUrl) throws MalformedURLException {
        super("jlockdep-agent", ClassLoader.getPlatformClassLoader());
        this.jar = jar;
        this.jarUrl = jarUrl;
        // The code source names the prefix, so -Xlog:class+load shows where each tooling class came from.
        URL source = new URL("jar:" + jarUrl + "!/" + PREFIX);
        this.domain = new ProtectionDomain(new CodeSource(source, (Certificate[]) null), null, this, null);
    }

    /**
     * The tooling's own classes are looked up here first: no parent has them, and asking the
     * platform and boot loaders for each of the 1,200 classes the installer loads cost start-up time.
     */
    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (!name.startsWith(OWN)) {
            return super.loadClass(name, resolve);
        }
        synchronized (getClassLoadingLock(name)) {
            Class<?> c = findLoadedClass(name);
            if (c == null) {
                c = findClass(name);
            }
            if (resolve) {
                resolveClass(c);
            }
            return c;
        }
    }

    @Override
    protected Class<?> findClass(String name) throws ClassNotFoundException {
        JarEntry entry = jar.getJarEntry(PREFIX + name.replace('.', '/') + ".class");
        if (entry == null) {
            throw new ClassNotFoundException(name);
        }
        byte[] bytes;
        try (InputStream in = jar.getInputStream(entry)) {
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new ClassNotFoundException(name + ": cannot read it from the agent jar " + jarUrl, e);
        }
        int dot = name.lastIndexOf('.');
        if (dot > 0) {
            String pkg = name.substring(0, dot);
            if (getDefinedPackage(pkg) == null) {
                try {
                    definePackage(pkg, null, null, null, null, null, null, null);
                } catch (IllegalArgumentException racing) {
                    // defined by another thread meanwhile
                }
            }
        }
        return defineClass(name, bytes, 0, bytes.length, domain);
    }

    @Override
    protected URL findResource(String name) {
        if (jar.getJarEntry(PREFIX + name) == null) {
            return null;
        }
        try {
            return new URL("jar:" + jarUrl + "!/" + PREFIX + name);
        } catch (MalformedURLException e) {
            return null;
        }
    }

    @Override
    protected Enumeration<URL> findResources(String name) {
        URL url = findResource(name);
        return url == null ? Collections.emptyEnumeration() : Collections.enumeration(Collections.singletonList(url));
    }

    @Override
    public InputStream getResourceAsStream(String name) {
        // Straight from the open jar: no URL connection (and no jar cache) per advice class read.
        JarEntry entry = jar.getJarEntry(PREFIX + name);
        if (entry != null) {
            try {
                return jar.getInputStream(entry);
            } catch (IOException e) {
                return null;
            }
        }
        return super.getResourceAsStream(name);
    }
}
