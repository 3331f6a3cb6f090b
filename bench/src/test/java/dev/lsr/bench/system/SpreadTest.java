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
    void ratiosAreTakenWithinEachPairThenSummarised() {
        // per pair 2, 4, 3: median 3; the medians divided (40 / 10) would say 4
        Spread ratios = Spread.ofRatios(List.of(20.0, 40.0, 90.0), List.of(10.0, 10.0, 30.0));

        assertEquals(new Spread(3.0, 2.0, 4.0, 3), ratios);
    }

    @Test
    void measurementsThatDoNotPairUpAreAnError() {
        assertThrows(IllegalArgumentException.class, () -> Spread.ofRatios(List.of(1.0, 2.0), List.of(1.0)));
    }

    @Test
    void noMeasurementIsAnError() {
        assertThrows(IllegalArgumentException.class, () -> Spread.of(List.of()));
    }
}
