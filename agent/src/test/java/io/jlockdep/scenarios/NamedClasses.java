package io.jlockdep.scenarios;

import io.jlockdep.api.Jlockdep;
import java.util.concurrent.locks.ReentrantLock;

/**
 * H2's shape (issue 14): every session's lock is allocated at one line, and H2 makes every
 * session, the database's system session too, in one factory method: the system session and the
 * users' sessions are one lock class; a user's session lock taken before the database's monitor,
 * and the system session's lock taken inside it, read as a cycle that cannot happen (no path
 * holds the system session's lock and then waits for the database). The user says so with
 * {@code Jlockdep.setClass} (lockdep_set_class_and_name), or a spec's {@code class} statement.
 * Sessions made at two sites (the system session in the database's constructor, the user's
 * elsewhere) are two classes without any of it (issue 28: the owner's construction site).
 */
final class NamedClasses {

    private NamedClasses() {}

    static final class Session {
        final ReentrantLock lock = new ReentrantLock();
    }

    static final class Database {
        final Session system;

        Database(boolean oneFactory) {
            system = oneFactory ? newSession() : new Session();
        }

        /** H2's {@code Database.createSession}: every session is made here. */
        static Session newSession() {
            return new Session();
        }

        synchronized void removeSession(Session user) {
            system.lock.lock(); // the system session's lock, inside the database's monitor
            try {
                Work.touch(user);
            } finally {
                system.lock.unlock();
            }
        }

        synchronized void ddl() {
            Work.touch(this);
        }
    }

    /** A lock factory: every lock it makes is one class by allocation site (a spec names it). */
    static ReentrantLock newLock() {
        return new ReentrantLock();
    }

    /**
     * args: "set-class" to name the system session's lock before it is used; "two-sites" to make
     * the system session in the database's constructor and the user's here, not both in the
     * factory; "crossing" (with two-sites) to have the closer take the user's session lock inside
     * the monitor too: the roles really cross, a real cycle.
     */
    static void sessions(String... args) {
        java.util.List<String> options = java.util.List.of(args);
        boolean twoSites = options.contains("two-sites");
        Database db = new Database(!twoSites);
        if (options.contains("set-class")) {
            Jlockdep.setClass(db.system.lock, "system session");
        }
        Session user = twoSites ? new Session() : Database.newSession();
        Scenarios.inThread("user", () -> {
            user.lock.lock();
            try {
                db.ddl();
            } finally {
                user.lock.unlock();
            }
        });
        if (options.contains("crossing")) {
            Scenarios.inThread("closer", () -> {
                synchronized (db) {
                    user.lock.lock(); // the user's session inside the monitor: the roles cross
                    user.lock.unlock();
                }
            });
        } else {
            Scenarios.inThread("closer", () -> db.removeSession(user));
        }
    }

    /** Two factory-made locks nested: named by a spec's {@code class ... allocated-in}. */
    static void factory() {
        ReentrantLock a = newLock();
        ReentrantLock b = newLock();
        a.lock();
        b.lock();
        b.unlock();
        a.unlock();
    }
}
