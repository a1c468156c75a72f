package io.ganstream.engine.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class SmoothedChoiceTest {

    @Test
    void oneVersionsSpikeDoesNotOverturnALastingLead() {
        SmoothedChoice choice = new SmoothedChoice();
        for (int v = 0; v < 10; v++) {
            assertEquals(0, choice.choose(List.of("cut", "driving"), new double[] {0.950, 0.948}));
        }
        // one measure has the other ahead: a single-version choice would switch
        assertEquals(0, choice.choose(List.of("cut", "driving"), new double[] {0.947, 0.951}));
    }

    @Test
    void aLastingChangeSwitchesTheChoiceAfterAFewVersions() {
        SmoothedChoice choice = new SmoothedChoice();
        for (int v = 0; v < 10; v++) {
            choice.choose(List.of("cut", "driving"), new double[] {0.950, 0.948});
        }
        // averages 0.9492 / 0.9486, then 0.94856 / 0.94908
        assertEquals(0, choice.choose(List.of("cut", "driving"), new double[] {0.946, 0.951}));
        assertEquals(1, choice.choose(List.of("cut", "driving"), new double[] {0.946, 0.951}));
    }

    @Test
    void aNewCandidateStartsAtItsMeasureAndTiesGoToTheFirst() {
        SmoothedChoice choice = new SmoothedChoice();
        assertEquals(0, choice.choose(List.of("a"), new double[] {0.9}));
        assertEquals(1, choice.choose(List.of("a", "b"), new double[] {0.9, 0.95}));
        SmoothedChoice tie = new SmoothedChoice();
        assertEquals(0, tie.choose(List.of("a", "b"), new double[] {0.9, 0.9}));
        assertThrows(IllegalArgumentException.class, () -> tie.choose(List.of("a"), new double[] {0.9, 0.9}));
    }
}
