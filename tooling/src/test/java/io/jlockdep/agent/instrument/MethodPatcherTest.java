package io.jlockdep.agent.instrument;

import static io.jlockdep.agent.instrument.ClassPlan.MethodMatch.constructors;
import static io.jlockdep.agent.instrument.ClassPlan.MethodMatch.named;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jlockdep.agent.instrument.Hook.Arg;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * {@link MethodPatcher} on a real class: patched, defined in a class loader of its own (so the
 * JVM verifies it, stack map frames included), run, and the hook calls it made recorded. Each
 * patch shape the lock families use is here: enter only, exit with the returned value (int,
 * long, boolean), both exits with the thrown value, the enter hook's result kept for the exits,
 * an argument read in the exceptional exit next to a two-slot parameter, a field of {@code this},
 * a static method's class, a constructor's exit.
 */
class MethodPatcherTest {

    /** The hooks the patched sample calls: they record what they were given. */
    public static final class Recorder {
        static final List<String> EVENTS = new ArrayList<>();

        private Recorder() {}

        public static void created(Object self, Object sync) {
            EVENTS.add("created sync=" + (sync != null));
        }

        public static int enter(Object sync, int constant) {
            EVENTS.add("enter " + constant);
            return constant * 2;
        }

        public static void returnedJ(long value, Object self) {
            EVENTS.add("returned " + value);
        }

        public static void returnedZ(boolean value, Object self) {
            EVENTS.add("returned " + value);
        }

        public static void exit(Object self, int entered) {
            EVENTS.add("exit " + entered);
        }

        public static void thrown(Throwable t, Object ctx, int entered) {
            EVENTS.add("thrown " + t.getMessage() + " ctx=" + ctx + " entered=" + entered);
        }

        public static Object token(Object sync) {
            EVENTS.add("token");
            return "token-of-" + (sync != null);
        }

        public static void settled(Throwable t, Object self, Object token) {
            EVENTS.add("settled " + (t == null ? "returned" : t.getMessage()) + " " + token);
        }

        public static void monitor(Object monitor) {
            EVENTS.add("monitor "
                    + (monitor instanceof Class<?> c
                            ? c.getName().substring(c.getName().indexOf('$') + 1)
                            : "this"));
        }
    }

    /** The class the test patches. */
    public static final class Sample {
        final Object sync = new Object();
        int n;

        public Sample() {}

        public boolean tryIt(boolean ok) {
            return ok;
        }

        public long stamp(long s) {
            return s;
        }

        public int work(String ctx, long wide, int k) {
            try {
                if (k == 1) {
                    return 10;
                }
                if (k == 2) {
                    throw new IllegalStateException("two");
                }
                n += (int) wide;
            } catch (IllegalStateException e) {
                if (wide < 0) {
                    throw new IllegalArgumentException("rethrown " + e.getMessage());
                }
                return -1;
            }
            if (k == 3) {
                throw new IllegalArgumentException("three");
            }
            return n;
        }

        public int guarded(int k) {
            int sum = 0;
            for (int i = 0; i < k; i++) {
                try {
                    if (i == 5) {
                        throw new IllegalStateException("five");
                    }
                    sum += i;
                } catch (IllegalStateException e) {
                    sum = -sum;
                }
            }
            if (k > 9) {
                throw new IllegalArgumentException("ten");
            }
            return sum;
        }

        public static int twice(int x) {
            if (x < 0) {
                throw new IllegalArgumentException("negative");
            }
            return 2 * x;
        }
    }

    private static final String RECORDER = Recorder.class.getName().replace('.', '/');
    private static final String OBJECT = "Ljava/lang/Object;";

    private static Hook recorder(String name, String descriptor, Arg... args) {
        return Hook.call(RECORDER, name, descriptor, args);
    }

    private Object sample;
    private Class<?> type;

    @BeforeEach
    void patchAndLoad() throws Exception {
        Recorder.EVENTS.clear();
        Hook enter = recorder("enter", "(" + OBJECT + "I)I", Arg.field("sync"), Arg.constant(300));
        ClassPlan plan = new ClassPlan(Sample.class.getName())
                .on(
                        constructors(),
                        Patch.exit(recorder("created", "(" + OBJECT + OBJECT + ")V", Arg.self(), Arg.field("sync"))))
                .on(named("tryIt"), Patch.exit(recorder("returnedZ", "(Z" + OBJECT + ")V", Arg.value(), Arg.self())))
                .on(named("stamp"), Patch.exit(recorder("returnedJ", "(J" + OBJECT + ")V", Arg.value(), Arg.self())))
                .on(
                        named("work"),
                        Patch.around(
                                enter,
                                recorder("exit", "(" + OBJECT + "I)V", Arg.self(), Arg.entered()),
                                recorder(
                                        "thrown",
                                        "(Ljava/lang/Throwable;" + OBJECT + "I)V",
                                        Arg.value(),
                                        Arg.arg(0),
                                        Arg.entered())))
                .on(named("twice"), Patch.exits(recorder("monitor", "(" + OBJECT + ")V", Arg.monitor())))
                .on(
                        named("guarded"),
                        Patch.around(
                                recorder("token", "(" + OBJECT + ")" + OBJECT, Arg.field("sync")),
                                recorder(
                                        "settled",
                                        "(Ljava/lang/Throwable;" + OBJECT + OBJECT + ")V",
                                        Arg.nothing(),
                                        Arg.self(),
                                        Arg.entered()),
                                recorder(
                                        "settled",
                                        "(Ljava/lang/Throwable;" + OBJECT + OBJECT + ")V",
                                        Arg.value(),
                                        Arg.self(),
                                        Arg.entered())));
        byte[] patched = PlanTransformer.patch(plan, bytes(Sample.class));
        assertThat(patched).isNotNull();
        type = new OneClassLoader(Sample.class.getName(), patched).loadClass(Sample.class.getName());
        assertThat(type.getClassLoader()).isInstanceOf(OneClassLoader.class);
        sample = type.getConstructor().newInstance();
    }

    private Object call(String name, Class<?>[] parameters, Object... args) throws Throwable {
        Method m = type.getMethod(name, parameters);
        try {
            return m.invoke(
                    m.getParameterCount() > 0 && java.lang.reflect.Modifier.isStatic(m.getModifiers()) ? null : sample,
                    args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        }
    }

    @Test
    void aConstructorsExitSeesThisAndItsFields() {
        assertThat(Recorder.EVENTS).containsExactly("created sync=true");
    }

    @Test
    void anExitHookGetsTheReturnedValueAndTheCallerStillGetsIt() throws Throwable {
        Recorder.EVENTS.clear();
        assertThat(call("tryIt", new Class<?>[] {boolean.class}, true)).isEqualTo(true);
        assertThat(call("stamp", new Class<?>[] {long.class}, 1L << 40)).isEqualTo(1L << 40);
        assertThat(Recorder.EVENTS).containsExactly("returned true", "returned " + (1L << 40));
    }

    @Test
    void everyNormalExitRunsTheExitHookWithTheEnterHooksResult() throws Throwable {
        Recorder.EVENTS.clear();
        Class<?>[] p = {String.class, long.class, int.class};
        assertThat(call("work", p, "c", 5L, 0)).isEqualTo(5);
        assertThat(call("work", p, "c", 5L, 1)).isEqualTo(10);
        assertThat(call("work", p, "c", 5L, 2))
                .as("caught inside: a normal exit")
                .isEqualTo(-1);
        assertThat(Recorder.EVENTS)
                .containsExactly("enter 300", "exit 600", "enter 300", "exit 600", "enter 300", "exit 600");
    }

    @Test
    void anExceptionalExitRunsTheThrownHookOnceAndTheExceptionPropagates() throws Throwable {
        Recorder.EVENTS.clear();
        Class<?>[] p = {String.class, long.class, int.class};
        assertThatThrownBy(() -> call("work", p, "ctx", 5L, 3))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("three");
        assertThatThrownBy(() -> call("work", p, "ctx", -5L, 2))
                .as("thrown from the method's own handler")
                .hasMessage("rethrown two");
        assertThat(Recorder.EVENTS)
                .containsExactly(
                        "enter 300",
                        "thrown three ctx=ctx entered=600",
                        "enter 300",
                        "thrown rethrown two ctx=ctx entered=600");
    }

    @Test
    void anObjectTheEnterHookReturnsReachesBothExitsThroughLoopsAndHandlers() throws Throwable {
        assertThat(call("guarded", new Class<?>[] {int.class}, 7)).isEqualTo(-4); // 0+..+4, negated at 5, +6
        assertThatThrownBy(() -> call("guarded", new Class<?>[] {int.class}, 10))
                .hasMessage("ten");
        assertThat(Recorder.EVENTS)
                .endsWith("token", "settled returned token-of-true", "token", "settled ten token-of-true");
    }

    @Test
    void aStaticMethodsMonitorIsItsClassOnBothExits() throws Throwable {
        Recorder.EVENTS.clear();
        assertThat(call("twice", new Class<?>[] {int.class}, 4)).isEqualTo(8);
        assertThatThrownBy(() -> call("twice", new Class<?>[] {int.class}, -1)).hasMessage("negative");
        assertThat(Recorder.EVENTS).containsExactly("monitor Sample", "monitor Sample");
    }

    @Test
    void aFieldTheClassDoesNotDeclareIsAnErrorNamingIt() throws IOException {
        ClassPlan plan = new ClassPlan(Sample.class.getName())
                .on(named("tryIt"), Patch.enter(recorder("monitor", "(" + OBJECT + ")V", Arg.field("absent"))));
        assertThatThrownBy(() -> PlanTransformer.patch(plan, bytes(Sample.class)))
                .hasMessageContaining("has no field absent");
    }

    @Test
    void aClassNoPlanMatchesIsLeftAlone() throws IOException {
        ClassPlan plan = new ClassPlan(Sample.class.getName()).on(named("nothing"), Patch.enter(recorder("x", "()V")));
        assertThat(PlanTransformer.patch(plan, bytes(Sample.class))).isNull();
    }

    static byte[] bytes(Class<?> c) throws IOException {
        String name = c.getName();
        try (InputStream in = c.getResourceAsStream(name.substring(name.lastIndexOf('.') + 1) + ".class")) {
            return in.readAllBytes();
        }
    }

    /** Defines one class from given bytes, child-first; everything else from the test's loader. */
    static final class OneClassLoader extends ClassLoader {
        private final String name;
        private final byte[] bytes;

        OneClassLoader(String name, byte[] bytes) {
            super(MethodPatcherTest.class.getClassLoader());
            this.name = name;
            this.bytes = bytes;
        }

        @Override
        protected Class<?> loadClass(String className, boolean resolve) throws ClassNotFoundException {
            if (className.equals(name)) {
                synchronized (getClassLoadingLock(className)) {
                    Class<?> c = findLoadedClass(className);
                    return c != null ? c : defineClass(className, bytes, 0, bytes.length);
                }
            }
            return super.loadClass(className, resolve);
        }
    }
}
