package io.jlockdep.agent.report;

import static org.assertj.core.api.Assertions.assertThat;

import io.jlockdep.agent.engine.LockClass;
import io.jlockdep.agent.engine.Lockdep;
import io.jlockdep.agent.engine.LockdepConfig;
import io.jlockdep.api.TextReport;
import io.jlockdep.api.Violation;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class TextReportTest {

    final List<Violation> reported = new ArrayList<>();
    final Lockdep engine =
            new Lockdep(LockdepConfig.builder().instanceNamer(String::valueOf).build(), reported::add);

    static final class Named {
        final String name;

        Named(String name) {
            this.name = name;
        }

        @Override
        public String toString() {
            return name;
        }
    }

    void lock(Object l, LockClass c) {
        engine.acquire(l, c, Lockdep.WRITE, 0, null, null);
        engine.acquired(l);
    }

    void unlock(Object l, LockClass c) {
        engine.release(l, c, Lockdep.WRITE);
    }

    @Test
    void circularReportReadsLikeLockdep() {
        LockClass resv = engine.lockClass("resv", "reservation_ww_class_mutex", LockClass.Kind.WW_MUTEX);
        LockClass mm = engine.lockClass("mm", "i915_gem_object.mm.lock", LockClass.Kind.MUTEX);
        Named r = new Named("dmabuf:1:i915.resv");
        Named m = new Named("obj.mm.lock");
        lock(r, resv);
        lock(m, mm);
        unlock(m, mm);
        unlock(r, resv);
        lock(m, mm);
        lock(r, resv);
        assertThat(reported).hasSize(1);
        String text = TextReport.render(reported.get(0));
        assertThat(text)
                .contains("WARNING: possible circular locking dependency detected")
                .contains("jlockdep: rule lockdep/circular-dependency")
                .contains(Thread.currentThread().getName() + "/"
                        + Thread.currentThread().getId() + " is trying to acquire lock:")
                .contains(" (reservation_ww_class_mutex) dmabuf:1:i915.resv, at: ")
                .contains("but task is already holding lock:")
                .contains(" (i915_gem_object.mm.lock) obj.mm.lock, at: ")
                .contains("which lock already depends on the new lock.")
                .contains("the existing dependency chain (in reverse order) is:")
                .contains("-> #1 (i915_gem_object.mm.lock):")
                .contains("-> #0 (reservation_ww_class_mutex):")
                .contains(" Possible unsafe locking scenario:")
                .contains("  lock(i915_gem_object.mm.lock);")
                .contains("lock(reservation_ww_class_mutex);")
                .contains(" *** DEADLOCK ***")
                .contains("1 lock held by ")
                .contains(" #0: (i915_gem_object.mm.lock) obj.mm.lock, at: ")
                .contains("stack backtrace:")
                .contains("TextReportTest.circularReportReadsLikeLockdep")
                .contains("cites: Documentation/locking/lockdep-design.rst")
                .contains("fix:   Take these locks in one order everywhere");
        assertThat(text.indexOf("-> #1")).isLessThan(text.indexOf("-> #0"));
    }

    @Test
    void aLongerCycleNamesTheChain() {
        LockClass a = engine.lockClass("a", "A", LockClass.Kind.MUTEX);
        LockClass b = engine.lockClass("b", "B", LockClass.Kind.MUTEX);
        LockClass c = engine.lockClass("c", "C", LockClass.Kind.MUTEX);
        Named la = new Named("a");
        Named lb = new Named("b");
        Named lc = new Named("c");
        lock(la, a);
        lock(lb, b);
        unlock(lb, b);
        unlock(la, a);
        lock(lb, b);
        lock(lc, c);
        unlock(lc, c);
        unlock(lb, b);
        lock(lc, c);
        lock(la, a);
        String text = TextReport.render(reported.get(0));
        assertThat(text)
                .contains("Chain exists of:\n  A --> B --> C")
                .contains("-> #2 (C):")
                .contains("-> #1 (B):")
                .contains("-> #0 (A):");
    }

    @Test
    void recursionReportShowsTheSingleThreadScenario() {
        LockClass a = engine.lockClass("a", "A", LockClass.Kind.MUTEX);
        Named la = new Named("a");
        lock(la, a);
        engine.acquire(la, a, Lockdep.WRITE, 0, null, null);
        String text = TextReport.render(reported.get(0));
        assertThat(text)
                .contains("WARNING: possible recursive locking detected")
                .contains("is trying to acquire lock:")
                .contains("but task is already holding lock:")
                .contains("  lock(A);\n  lock(A);")
                .contains("May be due to missing lock nesting notation");
    }

    @Test
    void unlockReportSaysRelease() {
        LockClass a = engine.lockClass("a", "A", LockClass.Kind.MUTEX);
        engine.release(new Named("a"), a, Lockdep.WRITE);
        String text = TextReport.render(reported.get(0));
        assertThat(text)
                .contains("WARNING: bad unlock balance detected!")
                .contains("is trying to release lock:")
                .contains("no locks held by");
    }

    @Test
    void printsASampleForTheReader() {
        circularReportReadsLikeLockdep();
        System.out.println(TextReport.render(reported.get(0)));
    }
}
