package sample;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class TransferTest {
    @Test
    void transfers() {
        assertEquals(1, new Accounts().transfer());
    }
}
