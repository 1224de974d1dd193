package sample;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CounterTest {
    @Test
    void counts() {
        Counter c = new Counter();
        c.increment();
        assertEquals(2, c.increment());
        assertEquals("unit", System.getProperty("sample.run"));
    }
}
