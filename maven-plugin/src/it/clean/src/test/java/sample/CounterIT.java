package sample;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class CounterIT {
    @Test
    void countsFromTwoThreads() throws Exception {
        Counter c = new Counter();
        Thread t = new Thread(c::increment);
        t.start();
        t.join(10_000);
        assertEquals(2, c.increment());
    }
}
