package sample.b;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ReverseTest {
    @Test
    void takesBothTheOtherWay() {
        assertTrue(Reverse.secondThenFirst());
    }
}
