package dev.lsr.bench.system;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SpreadTest {

    @Test
    void oddCountTakesTheMiddleValueAndTheRange() {
        Spread spread = Spread.of(List.of(30.0, 10.0, 20.0));

        assertEquals(new Spread(20.0, 10.0, 30.0, 3), spread);
        assertEquals("20 (10–30)", spread.format(0));
    }

    @Test
    void evenCountAveragesTheMiddleTwo() {
        assertEquals(2.5, Spread.of(List.of(4.0, 1.0, 2.0, 3.0)).median());
    }

    @Test
    void aSingleMeasurementShowsNoRange() {
        assertEquals("1,234.5", Spread.single(1234.5).format(1));
    }

    @Test
    void noMeasurementIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> Spread.of(List.of()));
    }
}
