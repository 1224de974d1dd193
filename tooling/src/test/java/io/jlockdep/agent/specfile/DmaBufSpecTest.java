package io.jlockdep.agent.specfile;

import static org.assertj.core.api.Assertions.assertThat;

import io.jlockdep.agent.engine.ApiRule;
import io.jlockdep.agent.spec.LockPath;
import io.jlockdep.agent.spec.LockSpec;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The built-in {@code dma-buf.lockspec} encodes exactly the lists of the DMA-BUF locking
 * convention (drivers/dma-buf/dma-buf.c; ../shared/spec/dma-buf-locking.md section 2): every
 * kernel function and callback is covered by exactly one rule, the right one, and each entry
 * names a method of the Java model that exists, with a lock path that reaches a reservation.
 */
class DmaBufSpecTest {

    /** Section 2, list by list, with the rule ID each list has. */
    static final Map<String, List<String>> CONVENTION = new LinkedHashMap<>();

    static {
        CONVENTION.put(
                "dma-buf/importer-locked",
                List.of(
                        "dma_buf_pin",
                        "dma_buf_unpin",
                        "dma_buf_map_attachment",
                        "dma_buf_unmap_attachment",
                        "dma_buf_vmap",
                        "dma_buf_vunmap"));
        CONVENTION.put(
                "dma-buf/importer-unlocked",
                List.of(
                        "dma_buf_attach",
                        "dma_buf_dynamic_attach",
                        "dma_buf_detach",
                        "dma_buf_export",
                        "dma_buf_fd",
                        "dma_buf_get",
                        "dma_buf_put",
                        "dma_buf_mmap",
                        "dma_buf_begin_cpu_access",
                        "dma_buf_end_cpu_access",
                        "dma_buf_map_attachment_unlocked",
                        "dma_buf_unmap_attachment_unlocked",
                        "dma_buf_vmap_unlocked",
                        "dma_buf_vunmap_unlocked"));
        CONVENTION.put(
                "dma-buf/exporter-unlocked-callback",
                List.of(
                        "dma_buf_ops.attach",
                        "dma_buf_ops.detach",
                        "dma_buf_ops.release",
                        "dma_buf_ops.begin_cpu_access",
                        "dma_buf_ops.end_cpu_access",
                        "dma_buf_ops.mmap"));
        CONVENTION.put(
                "dma-buf/exporter-locked-callback",
                List.of(
                        "dma_buf_ops.pin",
                        "dma_buf_ops.unpin",
                        "dma_buf_ops.map_dma_buf",
                        "dma_buf_ops.unmap_dma_buf",
                        "dma_buf_ops.vmap",
                        "dma_buf_ops.vunmap"));
        CONVENTION.put("dma-buf/exporter-locked", List.of("dma_buf_move_notify"));
    }

    static LockSpec spec;

    @BeforeAll
    static void load() throws IOException {
        try (InputStream in = DmaBufSpecTest.class.getClassLoader().getResourceAsStream(SpecFiles.BUILTIN_SPEC)) {
            assertThat(in).as("the spec ships in the agent's resources").isNotNull();
            spec = SpecParser.parseResource("dma-buf.lockspec", in);
        }
    }

    @Test
    void everyListedFunctionIsCoveredByExactlyOneRuleTheRightOne() {
        Map<String, List<String>> covered = new LinkedHashMap<>();
        List<String> all = new ArrayList<>();
        for (LockSpec.Rule rule : spec.rules()) {
            List<String> functions =
                    rule.entries().stream().map(LockSpec.Entry::function).collect(Collectors.toList());
            covered.put(spec.name() + "/" + rule.name(), functions);
            all.addAll(functions);
        }
        assertThat(covered.keySet()).containsExactlyElementsOf(CONVENTION.keySet());
        for (Map.Entry<String, List<String>> list : CONVENTION.entrySet()) {
            assertThat(covered.get(list.getKey()))
                    .as(list.getKey())
                    .containsExactlyInAnyOrderElementsOf(list.getValue());
        }
        assertThat(all).as("no function twice").doesNotHaveDuplicates();
    }

    @Test
    void ruleKindsMatchTheConvention() {
        Map<String, ApiRule.Kind> kinds =
                spec.rules().stream().collect(Collectors.toMap(r -> spec.name() + "/" + r.name(), LockSpec.Rule::kind));
        assertThat(kinds)
                .containsEntry("dma-buf/importer-locked", ApiRule.Kind.MUST_HOLD)
                .containsEntry("dma-buf/importer-unlocked", ApiRule.Kind.MUST_NOT_HOLD)
                .containsEntry("dma-buf/exporter-unlocked-callback", ApiRule.Kind.CALLBACK_UNLOCKED)
                .containsEntry("dma-buf/exporter-locked-callback", ApiRule.Kind.CALLBACK_LOCKED)
                .containsEntry("dma-buf/exporter-locked", ApiRule.Kind.MUST_HOLD);
        assertThat(spec.rules()).allSatisfy(r -> assertThat(r.cite()).startsWith("drivers/dma-buf/dma-buf.c"));
    }

    @Test
    void everyEntryNamesTheCamelCaseTwinOfItsKernelFunction() {
        for (LockSpec.Rule rule : spec.rules()) {
            for (LockSpec.Entry e : rule.entries()) {
                String kernel = e.function().replace("dma_buf_ops.", "").replaceFirst("^dma_buf_", "");
                assertThat(e.methodName()).as(e.function()).isEqualTo(camel(kernel));
            }
        }
    }

    private static String camel(String snake) {
        StringBuilder b = new StringBuilder();
        boolean up = false;
        for (char c : snake.toCharArray()) {
            if (c == '_') {
                up = true;
            } else {
                b.append(up ? Character.toUpperCase(c) : c);
                up = false;
            }
        }
        return b.toString();
    }

    @Test
    void everyEntryNamesAnExistingMethodAndItsPathReachesAReservation() throws Exception {
        for (LockSpec.Rule rule : spec.rules()) {
            for (LockSpec.Entry e : rule.entries()) {
                Class<?> owner = Class.forName(e.className());
                List<Method> methods = Arrays.stream(owner.getDeclaredMethods())
                        .filter(m -> m.getName().equals(e.methodName()) && Modifier.isPublic(m.getModifiers()))
                        .collect(Collectors.toList());
                assertThat(methods).as("%s#%s", e.className(), e.methodName()).isNotEmpty();
                for (Method m : methods) {
                    Class<?> type = rootType(m, e.lock());
                    for (int i = 0; i < e.lock().steps().size(); i++) {
                        assertThat(e.lock().isMethod().get(i)).isTrue();
                        type = type.getMethod(e.lock().steps().get(i)).getReturnType();
                    }
                    assertThat(type.getName()).as(e.function()).isEqualTo("io.jlockdep.resv.ReservationLock");
                }
            }
        }
    }

    private static Class<?> rootType(Method m, LockPath path) {
        if (path.root() == LockPath.THIS) {
            assertThat(Modifier.isStatic(m.getModifiers())).as(m.toString()).isFalse();
            return m.getDeclaringClass();
        }
        if (path.root() == LockPath.RETURN) {
            return m.getReturnType();
        }
        return m.getParameterTypes()[path.root()];
    }
}
