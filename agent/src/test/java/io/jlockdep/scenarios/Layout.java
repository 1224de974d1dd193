package io.jlockdep.scenarios;

import java.util.concurrent.locks.ReentrantLock;

/**
 * Run under the agent by {@code JarLayoutIT}: prints, for each class name given, which loader
 * the application sees it from ({@code boot}, {@code app}) or {@code absent}, after taking a lock
 * (so the hooks and the engine have run).
 */
public final class Layout {

    private Layout() {}

    public static void main(String[] names) {
        ReentrantLock lock = new ReentrantLock();
        lock.lock();
        lock.unlock();
        for (String name : names) {
            String where;
            try {
                Class<?> c = Class.forName(name, false, Layout.class.getClassLoader());
                where = c.getClassLoader() == null ? "boot" : "app";
            } catch (ClassNotFoundException e) {
                where = "absent";
            }
            System.out.println(name + " " + where);
        }
        System.out.println("done layout");
    }
}
