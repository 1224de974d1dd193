package io.jlockdep.agent.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.jlockdep.agent.report.Json;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class JsonReaderTest {

    @Test
    void readsBackWhatTheWriterWrites() {
        String text = new Json()
                .beginObject()
                .field("rule", "lockdep/circular-dependency")
                .field("message", "quote \" backslash \\ newline \n tab \t unicode \u0001 é")
                .field("pid", 4242L)
                .field("none", (String) null)
                .name("list")
                .beginArray()
                .value("a")
                .value("b")
                .endArray()
                .endObject()
                .toString();
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) JsonReader.parse(text);
        assertThat(m.keySet()).containsExactly("rule", "message", "pid", "none", "list");
        assertThat(m.get("message")).isEqualTo("quote \" backslash \\ newline \n tab \t unicode \u0001 é");
        assertThat(m.get("pid")).isEqualTo(4242.0);
        assertThat(m.get("none")).isNull();
        assertThat(m.get("list")).isEqualTo(List.of("a", "b"));
        assertThat(JsonReader.parse(" [true, false, -1.5e3, {}] ")).isEqualTo(List.of(true, false, -1500.0, Map.of()));
    }

    @Test
    void malformedTextIsRejectedWithTheOffset() {
        assertThatThrownBy(() -> JsonReader.parse("{\"a\": 1,}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("offset 8");
        assertThatThrownBy(() -> JsonReader.parse("[1] x")).hasMessageContaining("trailing text");
        assertThatThrownBy(() -> JsonReader.parse("\"open")).hasMessageContaining("unterminated string");
        assertThatThrownBy(() -> JsonReader.parse("{")).hasMessageContaining("unexpected end");
        assertThatThrownBy(() -> JsonReader.parse("[1,")).hasMessageContaining("unexpected end");
    }
}
