package io.jlockdep.agent.engine;

import static org.assertj.core.api.Assertions.assertThat;

import io.jlockdep.api.Rules;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The ww_test_* cases of lib/locking-selftest.c with the kernel's verdicts and the rule each
 * failure must carry. {@code o}, {@code o2}, {@code o3} are ww_mutexes of one class, {@code t}
 * and {@code t2} acquire contexts; "another context holds o2" is simulated the way the selftest
 * does it, by the EDEADLK result alone.
 */
class WwSelftestTest {

    static final class Ww {
        final Fixture f = new Fixture();
        final LockClass mutex = f.cls("ww_lockdep_mutex", LockClass.Kind.WW_MUTEX);
        final LockClass acquire = f.cls("ww_lockdep_acquire", LockClass.Kind.WW_ACQUIRE);
        final LockClass otherMutex = f.cls("other_ww_mutex", LockClass.Kind.WW_MUTEX);
        final LockClass otherAcquire = f.cls("other_ww_acquire", LockClass.Kind.WW_ACQUIRE);
        final LockClass spin = f.cls("lock_A");
        final Object o = new Fixture.Lock("o");
        final Object o2 = new Fixture.Lock("o2");
        final Object o3 = new Fixture.Lock("o3");
        final Object a = new Fixture.Lock("A");
        final Object t = new Fixture.Lock("t");
        final Object t2 = new Fixture.Lock("t2");

        void wwai(Object ctx) {
            f.engine.wwAcquireInit(ctx, acquire, mutex, null);
        }

        void wwad(Object ctx) {
            f.engine.wwAcquireDone(ctx, null);
        }

        void wwaf(Object ctx) {
            f.engine.wwAcquireFini(ctx, null);
        }

        /** ww_mutex_lock(x, c) that succeeds. */
        void wwl(Object x, Object ctx) {
            f.engine.acquire(x, mutex, Lockdep.WRITE, 0, ctx, null);
            f.engine.acquired(x);
        }

        /** ww_mutex_lock(x, c) that returns -EDEADLK. */
        void wwlDeadlock(Object x, Object ctx) {
            f.engine.acquire(x, mutex, Lockdep.WRITE, 0, ctx, null);
            f.engine.failed(x, ctx, Lockdep.FAILED_WW_DEADLOCK);
        }

        void slow(Object x, Object ctx) {
            f.engine.acquire(x, mutex, Lockdep.WRITE, Lockdep.WW_SLOW, ctx, null);
            f.engine.acquired(x);
        }

        void wwl1(Object x) {
            wwl(x, null);
        }

        void wwt(Object x) {
            f.engine.acquire(x, mutex, Lockdep.WRITE, Lockdep.TRYLOCK, null, null);
        }

        void wwu(Object x) {
            f.engine.release(x, mutex, Lockdep.WRITE);
        }

        void l(Object x) {
            f.lock(x, spin);
        }

        void u(Object x) {
            f.unlock(x, spin);
        }

        /** o held, o2 contended: the start of every EDEADLK case. */
        void edeadlkOnO2() {
            wwai(t);
            wwl(o, t);
            wwlDeadlock(o2, t);
        }
    }

    static Stream<Arguments> cases() {
        return Stream.of(
                ww(
                        "ww_test_normal",
                        w -> {
                            w.wwai(w.t);
                            w.wwl(w.o, w.t);
                            w.wwl(w.o2, w.t);
                            w.wwad(w.t);
                            w.wwu(w.o2);
                            w.wwu(w.o);
                            w.wwaf(w.t);
                            w.wwl1(w.o);
                            w.wwu(w.o);
                            w.wwt(w.o);
                            w.wwu(w.o);
                        },
                        null),
                ww(
                        "ww_test_unneeded_slow",
                        w -> {
                            w.wwai(w.t);
                            w.slow(w.o, w.t);
                        },
                        Rules.WW_SLOW_WITHOUT_CONTENTION),
                ww(
                        "ww_test_two_contexts",
                        w -> {
                            w.wwai(w.t);
                            w.wwai(w.t2);
                        },
                        Rules.WW_TWO_CONTEXTS),
                ww(
                        "ww_test_diff_class",
                        w -> {
                            w.f.engine.wwAcquireInit(w.t, w.otherAcquire, w.otherMutex, null);
                            w.wwl(w.o, w.t);
                        },
                        Rules.WW_CLASS_MISMATCH),
                ww(
                        "ww_test_context_done_twice",
                        w -> {
                            w.wwai(w.t);
                            w.wwad(w.t);
                            w.wwad(w.t);
                            w.wwaf(w.t);
                        },
                        Rules.WW_DONE_TWICE),
                ww(
                        "ww_test_context_unlock_twice",
                        w -> {
                            w.wwai(w.t);
                            w.wwad(w.t);
                            w.wwaf(w.t);
                            w.wwaf(w.t);
                        },
                        Rules.WW_FINI_TWICE),
                ww(
                        "ww_test_context_fini_early",
                        w -> {
                            w.wwai(w.t);
                            w.wwl(w.o, w.t);
                            w.wwad(w.t);
                            w.wwaf(w.t);
                        },
                        Rules.WW_FINI_WITH_LOCKS_HELD),
                ww(
                        "ww_test_context_lock_after_done",
                        w -> {
                            w.wwai(w.t);
                            w.wwad(w.t);
                            w.wwl(w.o, w.t);
                        },
                        Rules.WW_LOCK_AFTER_DONE),
                ww(
                        "ww_test_object_unlock_twice",
                        w -> {
                            w.wwl1(w.o);
                            w.wwu(w.o);
                            w.wwu(w.o);
                        },
                        Rules.WW_UNLOCK_NOT_HELD),
                ww(
                        "ww_test_edeadlk_normal",
                        w -> {
                            w.edeadlkOnO2();
                            w.wwu(w.o);
                            w.wwl(w.o2, w.t);
                        },
                        null),
                ww(
                        "ww_test_edeadlk_normal_slow",
                        w -> {
                            w.edeadlkOnO2();
                            w.wwu(w.o);
                            w.slow(w.o2, w.t);
                        },
                        null),
                ww(
                        "ww_test_edeadlk_no_unlock",
                        w -> {
                            w.edeadlkOnO2();
                            w.wwl(w.o2, w.t);
                        },
                        Rules.WW_LOCK_AFTER_EDEADLK),
                ww(
                        "ww_test_edeadlk_no_unlock_slow",
                        w -> {
                            w.edeadlkOnO2();
                            w.slow(w.o2, w.t);
                        },
                        Rules.WW_LOCK_AFTER_EDEADLK),
                ww(
                        "ww_test_edeadlk_acquire_more",
                        w -> {
                            w.edeadlkOnO2();
                            w.wwl(w.o3, w.t);
                        },
                        Rules.WW_LOCK_AFTER_EDEADLK),
                ww(
                        "ww_test_edeadlk_acquire_more_slow",
                        w -> {
                            w.edeadlkOnO2();
                            w.slow(w.o3, w.t);
                        },
                        Rules.WW_LOCK_AFTER_EDEADLK),
                ww(
                        "ww_test_edeadlk_acquire_more_edeadlk",
                        w -> {
                            w.edeadlkOnO2();
                            w.wwlDeadlock(w.o3, w.t);
                        },
                        Rules.WW_LOCK_AFTER_EDEADLK),
                ww(
                        "ww_test_edeadlk_acquire_wrong",
                        w -> {
                            w.edeadlkOnO2();
                            w.wwu(w.o);
                            w.wwl(w.o3, w.t);
                        },
                        Rules.WW_SLOW_WRONG_LOCK),
                ww(
                        "ww_test_edeadlk_acquire_wrong_slow",
                        w -> {
                            w.edeadlkOnO2();
                            w.wwu(w.o);
                            w.slow(w.o3, w.t);
                        },
                        Rules.WW_SLOW_WRONG_LOCK),
                ww(
                        "ww_test_context_block",
                        w -> {
                            w.wwai(w.t);
                            w.wwl(w.o, w.t);
                            w.wwl1(w.o2);
                        },
                        Rules.WW_NEST_WITHOUT_CONTEXT),
                ww(
                        "ww_test_context_try",
                        w -> {
                            w.wwai(w.t);
                            w.wwl(w.o, w.t);
                            w.wwt(w.o2);
                            w.wwu(w.o2);
                            w.wwu(w.o);
                        },
                        null),
                ww(
                        "ww_test_context_context",
                        w -> {
                            w.wwai(w.t);
                            w.wwl(w.o, w.t);
                            w.wwl(w.o2, w.t);
                            w.wwu(w.o2);
                            w.wwu(w.o);
                        },
                        null),
                ww(
                        "ww_test_try_block",
                        w -> {
                            w.wwt(w.o);
                            w.wwl1(w.o2);
                            w.wwu(w.o2);
                            w.wwu(w.o);
                        },
                        Rules.WW_NEST_WITHOUT_CONTEXT),
                ww(
                        "ww_test_try_try",
                        w -> {
                            w.wwt(w.o);
                            w.wwt(w.o2);
                            w.wwu(w.o2);
                            w.wwu(w.o);
                        },
                        null),
                ww(
                        "ww_test_try_context",
                        w -> {
                            w.wwt(w.o);
                            w.wwai(w.t);
                            w.wwl(w.o2, w.t);
                        },
                        Rules.CIRCULAR_DEPENDENCY),
                ww(
                        "ww_test_block_block",
                        w -> {
                            w.wwl1(w.o);
                            w.wwl1(w.o2);
                        },
                        Rules.WW_NEST_WITHOUT_CONTEXT),
                ww(
                        "ww_test_block_try",
                        w -> {
                            w.wwl1(w.o);
                            w.wwt(w.o2);
                        },
                        null),
                ww(
                        "ww_test_block_context",
                        w -> {
                            w.wwl1(w.o);
                            w.wwai(w.t);
                            w.wwl(w.o2, w.t);
                        },
                        Rules.CIRCULAR_DEPENDENCY),
                ww(
                        "ww_test_spin_block",
                        w -> {
                            w.l(w.a);
                            w.u(w.a);
                            w.wwl1(w.o);
                            w.l(w.a);
                            w.u(w.a);
                            w.wwu(w.o);
                            w.l(w.a);
                            w.wwl1(w.o);
                            w.wwu(w.o);
                            w.u(w.a);
                        },
                        Rules.CIRCULAR_DEPENDENCY),
                ww(
                        "ww_test_spin_try",
                        w -> {
                            w.l(w.a);
                            w.u(w.a);
                            w.wwt(w.o);
                            w.l(w.a);
                            w.u(w.a);
                            w.wwu(w.o);
                            w.l(w.a);
                            w.wwt(w.o);
                            w.wwu(w.o);
                            w.u(w.a);
                        },
                        null),
                ww(
                        "ww_test_spin_context",
                        w -> {
                            w.l(w.a);
                            w.u(w.a);
                            w.wwai(w.t);
                            w.wwl(w.o, w.t);
                            w.l(w.a);
                            w.u(w.a);
                            w.wwu(w.o);
                            w.l(w.a);
                            w.wwl(w.o, w.t);
                            w.wwu(w.o);
                            w.u(w.a);
                        },
                        Rules.CIRCULAR_DEPENDENCY));
    }

    private static Arguments ww(String name, Consumer<Ww> scenario, String expectedRule) {
        return Arguments.of(name, scenario, expectedRule);
    }

    @ParameterizedTest(name = "{0} -> {2}")
    @MethodSource("cases")
    void kernelWwCases(String name, Consumer<Ww> scenario, String expectedRule) {
        Ww w = new Ww();
        scenario.accept(w);
        if (expectedRule == null) {
            assertThat(w.f.rules()).as(name + ": SUCCESS").isEmpty();
        } else {
            assertThat(w.f.rules()).as(name + ": FAILURE").containsExactly(expectedRule);
        }
    }
}
