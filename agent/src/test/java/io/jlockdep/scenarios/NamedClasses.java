package io.jlockdep.scenarios;

import io.jlockdep.api.Jlockdep;
import java.util.concurrent.locks.ReentrantLock;

/**
 * H2's shape (issue 14): every session's lock is allocated at one line, so the database's system
 * session and the users' sessions are one lock class; a user's session lock taken before the
 * database's monitor, and the system session's lock taken inside it, read as a cycle that cannot
 * happen (no path holds the system session's lock and then waits for the database). The user
 * says so with {@code Jlockdep.setClass} (lockdep_set_class_and_name), or a spec's
 * {@code class} statement.
 */
final class NamedClasses {

    private NamedClasses() {}

    static final class Session {
        final ReentrantLock lock = new ReentrantLock();
    }

    static final class Database {
        final Session system = new Session();

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

    /** args: "set-class" to name the system session's lock before it is used. */
    static void sessions(String... args) {
        Database db = new Database();
        if (args.length > 0 && args[0].equals("set-class")) {
            Jlockdep.setClass(db.system.lock, "system session");
        }
        Session user = new Session();
        Scenarios.inThread("user", () -> {
            user.lock.lock();
            try {
                db.ddl();
            } finally {
                user.lock.unlock();
            }
        });
        Scenarios.inThread("closer", () -> db.removeSession(user));
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
