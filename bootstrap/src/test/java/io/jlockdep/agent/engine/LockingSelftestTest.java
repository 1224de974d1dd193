package io.jlockdep.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The families of the kernel's lib/locking-selftest.c, each run with the kernel's lock flavours
 * and checked against the kernel's expected verdict (SUCCESS = nothing reported, FAILURE = a
 * report). Same-class nesting runs in the kernel's mode ({@link LockdepConfig.SameClassNesting#REPORT}),
 * since these tests encode lockdep without nest annotations.
 */
class LockingSelftestTest {

    /** A lock flavour: its read mode and kind, as the selftest's spin/wlock/rlock/mutex/wsem/rsem. */
    enum Flavour {
        SPIN(Lockdep.WRITE, LockClass.Kind.MUTEX),
        WLOCK(Lockdep.WRITE, LockClass.Kind.RWLOCK),
        RLOCK(Lockdep.RECURSIVE_READ, LockClass.Kind.RWLOCK),
        MUTEX(Lockdep.WRITE, LockClass.Kind.MUTEX),
        WSEM(Lockdep.WRITE, LockClass.Kind.RWLOCK),
        RSEM(Lockdep.READ, LockClass.Kind.RWLOCK);

        final int read;
        final LockClass.Kind kind;

        Flavour(int read, LockClass.Kind kind) {
            this.read = read;
            this.kind = kind;
        }
    }

    /** The selftest's world: classes A, B, C, D (one instance each) and X with instances X1, X2. */
    static class World {
        final Fixture f = new Fixture(LockdepConfig.builder()
                .sameClassNesting(LockdepConfig.SameClassNesting.REPORT)
                .build());
        final Flavour flavour;
        final Object a = new Fixture.Lock("A");
        final Object b = new Fixture.Lock("B");
        final Object c = new Fixture.Lock("C");
        final Object d = new Fixture.Lock("D");
        final Object x1 = new Fixture.Lock("X1");
        final Object x2 = new Fixture.Lock("X2");

        World(Flavour flavour) {
            this.flavour = flavour;
        }

        LockClass classOf(Object lock) {
            String name = lock.toString().startsWith("X") ? "X" : lock.toString();
            return f.cls(name + "_" + flavour.name().toLowerCase(), flavour.kind);
        }

        void lock(Object l) {
            f.lockMode(l, classOf(l), flavour.read, 0);
        }

        void unlock(Object l) {
            f.unlockMode(l, classOf(l), flavour.read);
        }

        /** LOCK_UNLOCK_2(x, y). */
        void lu2(Object x, Object y) {
            lock(x);
            lock(y);
            unlock(y);
            unlock(x);
        }
    }

    static final boolean SUCCESS = true;
    static final boolean FAILURE = false;

    private static final List<Object[]> FAMILIES = List.of(
            new Object[] {
                "A-A deadlock",
                (Consumer<World>) w -> {
                    w.lock(w.x1);
                    w.lock(w.x2);
                },
                "6R"
            },
            new Object[] {
                "A-B-B-A deadlock",
                (Consumer<World>) w -> {
                    w.lu2(w.a, w.b);
                    w.lu2(w.b, w.a);
                },
                "6R"
            },
            new Object[] {
                "A-B-B-C-C-A deadlock",
                (Consumer<World>) w -> {
                    w.lu2(w.a, w.b);
                    w.lu2(w.b, w.c);
                    w.lu2(w.c, w.a);
                },
                "6R"
            },
            new Object[] {
                "A-B-C-A-B-C deadlock",
                (Consumer<World>) w -> {
                    w.lu2(w.a, w.b);
                    w.lu2(w.c, w.a);
                    w.lu2(w.b, w.c);
                },
                "6R"
            },
            new Object[] {
                "A-B-B-C-C-D-D-A deadlock",
                (Consumer<World>) w -> {
                    w.lu2(w.a, w.b);
                    w.lu2(w.b, w.c);
                    w.lu2(w.c, w.d);
                    w.lu2(w.d, w.a);
                },
                "6R"
            },
            new Object[] {
                "A-B-C-D-B-D-D-A deadlock",
                (Consumer<World>) w -> {
                    w.lu2(w.a, w.b);
                    w.lu2(w.c, w.d);
                    w.lu2(w.b, w.d);
                    w.lu2(w.d, w.a);
                },
                "6R"
            },
            new Object[] {
                "A-B-C-D-B-C-D-A deadlock",
                (Consumer<World>) w -> {
                    w.lu2(w.a, w.b);
                    w.lu2(w.c, w.d);
                    w.lu2(w.b, w.c);
                    w.lu2(w.d, w.a);
                },
                "6R"
            },
            new Object[] {
                "double unlock",
                (Consumer<World>) w -> {
                    w.lock(w.a);
                    w.unlock(w.a);
                    w.unlock(w.a);
                },
                "6"
            },
            new Object[] {
                "non-nested unlock",
                (Consumer<World>) w -> {
                    w.lock(w.a);
                    w.lock(w.b);
                    w.unlock(w.a);
                    w.unlock(w.b);
                    w.lu2(w.a, w.b);
                },
                "6S"
            });

    /** DO_TESTCASE_6R: rlock (recursive read) succeeds, every other flavour fails; 6: all fail; 6S: all succeed. */
    static boolean expected(String macro, Flavour flavour) {
        switch (macro) {
            case "6R":
                return flavour == Flavour.RLOCK;
            case "6":
                return FAILURE;
            default:
                return SUCCESS;
        }
    }

    @SuppressWarnings("unchecked")
    static Stream<Arguments> sixFlavourCases() {
        List<Arguments> out = new ArrayList<>();
        for (Object[] family : FAMILIES) {
            for (Flavour flavour : Flavour.values()) {
                boolean verdict = expected((String) family[2], flavour);
                out.add(Arguments.of(
                        Named.of(family[0] + " [" + flavour.name().toLowerCase() + "]", (Consumer<World>) family[1]),
                        flavour,
                        verdict));
            }
        }
        return out.stream();
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("sixFlavourCases")
    void sixFlavourFamilies(Consumer<World> scenario, Flavour flavour, boolean success) {
        World w = new World(flavour);
        scenario.accept(w);
        assertVerdict(w.f, success);
    }

    /** The read-lock specials: name, rwlock scenario and verdict, rwsem scenario and verdict. */
    static Stream<Arguments> readLockCases() {
        return Stream.of(
                // recursive read-lock: RL(X1); RL(X1)
                readCase(
                        "recursive read-lock",
                        w -> {
                            w.f.lockMode(w.x1, w.x(), w.r(), 0);
                            w.f.lockMode(w.x1, w.x(), w.r(), 0);
                        },
                        SUCCESS,
                        FAILURE),
                // recursive read-lock #2: RL(X1); RL(X2)
                readCase(
                        "recursive read-lock #2",
                        w -> {
                            w.f.lockMode(w.x1, w.x(), w.r(), 0);
                            w.f.lockMode(w.x2, w.x(), w.r(), 0);
                        },
                        SUCCESS,
                        FAILURE),
                // mixed read-write-lock: RL(X1); WL(X2)
                readCase(
                        "mixed read-write-lock",
                        w -> {
                            w.f.lockMode(w.x1, w.x(), w.r(), 0);
                            w.f.lockMode(w.x2, w.x(), Lockdep.WRITE, 0);
                        },
                        FAILURE,
                        FAILURE),
                // mixed write-read-lock: WL(X1); RL(X2)
                readCase(
                        "mixed write-read-lock",
                        w -> {
                            w.f.lockMode(w.x1, w.x(), Lockdep.WRITE, 0);
                            w.f.lockMode(w.x2, w.x(), w.r(), 0);
                        },
                        FAILURE,
                        FAILURE),
                // mixed read-lock/lock-write ABBA: RL(X1) L(Y1) / L(Y1) WL(X1)
                readCase(
                        "mixed read-lock/lock-write ABBA",
                        w -> {
                            w.f.lockMode(w.x1, w.x(), w.r(), 0);
                            w.f.lock(w.a, w.y());
                            w.f.unlock(w.a, w.y());
                            w.f.unlockMode(w.x1, w.x(), w.r());
                            w.f.lock(w.a, w.y());
                            w.f.lockMode(w.x1, w.x(), Lockdep.WRITE, 0);
                        },
                        FAILURE,
                        FAILURE),
                // mixed read-lock/lock-read ABBA: RL(X1) L(Y1) / L(Y1) RL(X1)
                readCase(
                        "mixed read-lock/lock-read ABBA",
                        w -> {
                            w.f.lockMode(w.x1, w.x(), w.r(), 0);
                            w.f.lock(w.a, w.y());
                            w.f.unlock(w.a, w.y());
                            w.f.unlockMode(w.x1, w.x(), w.r());
                            w.f.lock(w.a, w.y());
                            w.f.lockMode(w.x1, w.x(), w.r(), 0);
                        },
                        SUCCESS,
                        FAILURE),
                // mixed write-lock/lock-write ABBA: WL(X1) L(Y1) / L(Y1) WL(X1)
                readCase(
                        "mixed write-lock/lock-write ABBA",
                        w -> {
                            w.f.lockMode(w.x1, w.x(), Lockdep.WRITE, 0);
                            w.f.lock(w.a, w.y());
                            w.f.unlock(w.a, w.y());
                            w.f.unlockMode(w.x1, w.x(), Lockdep.WRITE);
                            w.f.lock(w.a, w.y());
                            w.f.lockMode(w.x1, w.x(), Lockdep.WRITE, 0);
                        },
                        FAILURE,
                        FAILURE),
                // chain cache: the read bit is part of the chain key (rlock_chaincache_ABBA1)
                readCase(
                        "chain cached mixed R-L/L-W ABBA",
                        w -> {
                            for (int i = 0; i < 2; i++) {
                                w.f.lockMode(w.x1, w.x(), w.r(), 0);
                                w.f.lock(w.a, w.y());
                                w.f.unlock(w.a, w.y());
                                w.f.unlockMode(w.x1, w.x(), w.r());
                            }
                            w.f.lock(w.a, w.y());
                            w.f.lockMode(w.x1, w.x(), w.r(), 0);
                            w.f.unlockMode(w.x1, w.x(), w.r());
                            w.f.unlock(w.a, w.y());
                            w.f.lock(w.a, w.y());
                            w.f.lockMode(w.x1, w.x(), Lockdep.WRITE, 0);
                        },
                        FAILURE,
                        FAILURE));
    }

    static final class ReadWorld extends World {
        final boolean recursive;

        ReadWorld(boolean recursive) {
            super(recursive ? Flavour.RLOCK : Flavour.RSEM);
            this.recursive = recursive;
        }

        LockClass x() {
            return f.cls("X", LockClass.Kind.RWLOCK);
        }

        LockClass y() {
            return f.cls("Y");
        }

        int r() {
            return recursive ? Lockdep.RECURSIVE_READ : Lockdep.READ;
        }
    }

    private static Arguments readCase(String name, Consumer<ReadWorld> scenario, boolean rlock, boolean rsem) {
        return Arguments.of(name, scenario, rlock, rsem);
    }

    @ParameterizedTest(name = "{0}: rlock {2}, rsem {3}")
    @MethodSource("readLockCases")
    void readLockFamilies(String name, Consumer<ReadWorld> scenario, boolean rlockSuccess, boolean rsemSuccess) {
        ReadWorld rlock = new ReadWorld(true);
        scenario.accept(rlock);
        assertVerdict(rlock.f, rlockSuccess);
        ReadWorld rsem = new ReadWorld(false);
        scenario.accept(rsem);
        assertVerdict(rsem.f, rsemSuccess);
    }

    static void assertVerdict(Fixture f, boolean success) {
        if (success) {
            assertThat(f.rules()).as("expected SUCCESS (no report)").isEmpty();
        } else {
            assertThat(f.rules()).as("expected FAILURE (a report)").isNotEmpty();
        }
    }
}
