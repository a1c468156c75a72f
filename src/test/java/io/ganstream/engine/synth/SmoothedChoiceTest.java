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

    @Test
    void aFitWithoutClassMarginalsIsServedOnlyWhenItLeadsByMoreThanTheTolerance() {
        List<String> names = List.of("driving/marginals", "driving/correlations", "cut/marginals");
        boolean[] favoured = {true, false, true};
        SmoothedChoice close = new SmoothedChoice();
        // 0.0005 ahead of the best favoured fit: within the tolerance, the best favoured one (index 2) is chosen
        assertEquals(2, close.choose(names, new double[] {0.9700, 0.9712, 0.9707}, favoured, 0.001));
        SmoothedChoice clear = new SmoothedChoice();
        assertEquals(1, clear.choose(names, new double[] {0.9700, 0.9722, 0.9707}, favoured, 0.001));
        // a favoured leader is chosen whatever the tolerance; without a favoured candidate the best is
        assertEquals(0, new SmoothedChoice().choose(names, new double[] {0.98, 0.97, 0.96}, favoured, 0.001));
        assertEquals(1, new SmoothedChoice().choose(List.of("a", "b"), new double[] {0.90, 0.95},
                new boolean[] {false, false}, 0.1));
        assertThrows(IllegalArgumentException.class, () -> new SmoothedChoice().choose(List.of("a", "b"),
                new double[] {0.9, 0.9}, new boolean[] {true}, 0.001));
    }
}
