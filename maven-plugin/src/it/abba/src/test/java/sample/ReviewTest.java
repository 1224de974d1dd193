package sample;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class ReviewTest {
    @Test
    void reviews() {
        assertEquals(0, new Accounts().review());
    }
}
