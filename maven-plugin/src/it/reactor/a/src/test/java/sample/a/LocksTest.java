package sample.a;

import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class LocksTest {
    @Test
    void takesBoth() {
        assertTrue(Locks.firstThenSecond());
    }
}
