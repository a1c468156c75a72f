package io.ganstream.bench;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.ganstream.engine.table.Column;
import io.ganstream.engine.table.TableSpec;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Which keyed refits {@code bench synth} scores. */
class BenchSynthKeysTest {

    private static final TableSpec SPEC = new TableSpec(List.of(
            Column.categorical("a", List.of("x", "y")),
            Column.continuous("n", 0, 1),
            Column.categorical("b", List.of("x", "y")),
            Column.categorical("c", List.of("x", "y")),
            Column.categorical("target", List.of("x", "y")),
            Column.categorical("d", List.of("x", "y"))));

    @Test
    void scoresTheOfferedKeysAndTheTargetInColumnOrder() {
        assertArrayEquals(new int[]{2, 4, 5}, BenchSynthCommand.keysToScore(SPEC, new int[]{5, 2}, 4));
        assertArrayEquals(new int[]{0, 4}, BenchSynthCommand.keysToScore(SPEC, new int[]{0, 4}, 4));
        assertArrayEquals(new int[]{4}, BenchSynthCommand.keysToScore(SPEC, new int[0], 4));
    }

    @Test
    void scoresEveryCategoricalColumnWithoutAModelToOfferKeys() {
        assertArrayEquals(new int[]{0, 2, 3, 4, 5}, BenchSynthCommand.keysToScore(SPEC, null, 4));
    }
}
