package io.jlockdep.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.jlockdep.agent.report.Json;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RenderTest {

    private static Map<String, Object> report() {
        Json j = new Json().beginObject();
        j.name("jlockdep")
                .beginObject()
                .field("pid", 7)
                .field("mode", "warn")
                .field("jvm", "test <jvm>")
                .endObject();
        j.name("violations")
                .beginArray()
                .beginObject()
                .field("rule", "lockdep/circular-dependency")
                .field("title", "possible circular locking dependency detected")
                .field("message", "t<1> & \"t2\" <script>alert(1)</script>")
                .field("thread", "t<1>")
                .field("text", "report </pre><script>x</script>");
        j.name("chain")
                .beginArray()
                .beginObject()
                .field("from", "B<b>")
                .field("to", "A&a")
                .field("thread", "t<1>")
                .endObject()
                .beginObject()
                .field("from", "A&a")
                .field("to", "B<b>")
                .field("thread", "t'2'")
                .endObject()
                .endArray()
                .endObject()
                .endArray();
        j.name("graph")
                .beginObject()
                .name("classes")
                .beginArray()
                .beginObject()
                .field("name", "A&a")
                .endObject()
                .beginObject()
                .field("name", "B<b>")
                .endObject()
                .endArray()
                .name("edges")
                .beginArray()
                .beginObject()
                .field("from", "A&a")
                .field("to", "B<b>")
                .field("thread", "t\"2\"")
                .endObject()
                .endArray()
                .endObject();
        @SuppressWarnings("unchecked")
        Map<String, Object> m =
                (Map<String, Object>) JsonReader.parse(j.endObject().toString());
        return m;
    }

    @Test
    void htmlIsSelfContainedEscapedAndDrawsTheCycleWithTheClosingEdgeInRed() {
        String html = new Render(report()).toHtml();
        assertThat(html).startsWith("<!DOCTYPE html>").contains("<svg", "</svg>", "stroke=\"#c00\"", "marker-end");
        assertThat(html)
                .contains(
                        "A&amp;a",
                        "B&lt;b&gt;",
                        "t&lt;1&gt; &amp; &quot;t2&quot; &lt;script&gt;",
                        "report &lt;/pre&gt;&lt;script&gt;",
                        "new: t&lt;1&gt;",
                        "t&#39;2&#39;");
        assertThat(html).doesNotContain("<script", "t<1>", "B<b>", "src=", "href=", "@import", "url(http");
        assertThat(html.replace("http://www.w3.org/2000/svg", "")).doesNotContain("http:", "https:");
    }

    @Test
    void theHeaderSaysThePidAsAnIntegerAndWideTablesScrollInsideThePage() {
        String html = new Render(report()).toHtml();
        assertThat(html)
                .contains("pid 7,", "<title>jlockdep report — pid 7</title>")
                .doesNotContain("7.0");
        assertThat(html).contains("<div class=\"scroll\"><table>", ".scroll{overflow-x:auto");
    }

    @Test
    void aTwoClassCyclesDependenciesAreDrawnApartWithTheirLabelsOnTheirOwnSides() {
        String svg = Render.cycleSvg(java.util.List.of(
                Map.of("from", "B", "to", "A", "thread", "t1"), Map.of("from", "A", "to", "B", "thread", "t2")));
        java.util.regex.Matcher m =
                java.util.regex.Pattern.compile("<line x1=\"([0-9.]+)\"").matcher(svg);
        java.util.List<String> xs = new java.util.ArrayList<>();
        while (m.find()) {
            xs.add(m.group(1));
        }
        assertThat(xs).hasSize(2).doesNotHaveDuplicates();
        assertThat(svg).contains("text-anchor=\"start\"", "text-anchor=\"end\"");
    }

    @Test
    void dotHasTheGraphWithCycleDependenciesInRedAndQuotesEscaped() {
        String dot = new Render(report()).toDot();
        assertThat(dot)
                .startsWith("digraph jlockdep {")
                .contains("\"A&a\" -> \"B<b>\" [label=\"t\\\"2\\\"\", color=red")
                .contains("\"B<b>\" -> \"A&a\" [label=\"closes a cycle\"");
    }
}
