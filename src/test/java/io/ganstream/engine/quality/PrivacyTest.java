package io.ganstream.engine.quality;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganstream.engine.table.Column;
import io.ganstream.engine.table.TableSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** Privacy figures and the privacy filter on hand-made rows. */
class PrivacyTest {
    static final double NAN = Double.NaN;
    static final TableSpec SPEC = new TableSpec(List.of(Column.categorical("c", List.of("a", "b")),
            Column.continuous("x", NAN, NAN)));

    @Test
    void gowerDistanceScalesNumericCellsByTheRealRangeAndSkipsMissingCells() {
        Privacy.Distance d = Privacy.Distance.fit(SPEC, new double[][] {{0, 0}, {1, 10}});
        assertEquals(0, d.between(new double[] {0, 3}, new double[] {0, 3}), 1e-12);
        assertEquals((1 + 0.5) / 2, d.between(new double[] {0, 0}, new double[] {1, 5}), 1e-12);
        assertEquals(0.5, d.between(new double[] {NAN, 0}, new double[] {1, 5}), 1e-12, "category skipped");
        assertEquals(1, d.between(new double[] {NAN, 0}, new double[] {1, NAN}), 1e-12, "nothing in common");
        assertEquals(1.0 / 2, d.between(new double[] {0, -50}, new double[] {0, 50}), 1e-12, "capped at 1 per column");
        TableSpec vec = new TableSpec(List.of(Column.vector("v", 4, NAN, NAN)));
        Privacy.Distance dv = Privacy.Distance.fit(vec, new double[][] {{0, 0, 0, 0}, {2, 2, 2, 2}});
        assertEquals((0.5 + 0 + 1 + 0) / 4, dv.between(new double[] {0, 0, 0, 0}, new double[] {1, 0, 2, 0}),
                1e-12, "a vector: the mean over its elements");
    }

    @Test
    void copiesOfTheTrainingRowsAreAllNearerTheTrainingRows() {
        double[][] train = {{0, 0}, {1, 10}, {0, 4}, {1, 6}};
        double[][] holdout = {{0, 1}, {1, 9}, {0, 5}, {1, 5}};
        Privacy p = Privacy.measure(SPEC, train.clone(), train, holdout);
        assertEquals(1, p.dcrShare(), 1e-12);
        assertEquals(1, p.copyShare(), 1e-12);
        assertEquals(0, p.medianSyntheticToTrain(), 1e-12);
        assertEquals(0.05, p.medianHoldoutToTrain(), 1e-12, "|1-0|/10 / 2 columns, each held-out row");
        // held-out copies are as near the held-out rows: none nearer training rows, no copy
        Privacy q = Privacy.measure(SPEC, holdout.clone(), train, holdout);
        assertEquals(0, q.dcrShare(), 1e-12);
        assertEquals(0, q.copyShare(), 1e-12);
        // a tie counts half
        Privacy tie = Privacy.measure(SPEC, new double[][] {{0, 0.5}}, new double[][] {{0, 0}},
                new double[][] {{0, 1}});
        assertEquals(0.5, tie.dcrShare(), 1e-12);
        assertTrue(Privacy.isCopy(new double[] {1, 10 + 1e-10}, new double[] {1, 10}));
        assertFalse(Privacy.isCopy(new double[] {1, 10 + 1e-6}, new double[] {1, 10}));
        assertFalse(Privacy.isCopy(new double[] {1, NAN}, new double[] {1, NAN}), "a missing cell never matches");
    }

    @Test
    void freshRowsOfTheSameDistributionScoreAboutOneHalf() {
        Random r = new Random(5);
        double[][][] sets = new double[3][300][];
        for (double[][] set : sets) {
            for (int i = 0; i < set.length; i++) {
                set[i] = new double[] {r.nextInt(2), Math.rint(r.nextGaussian() * 1000) / 100};
            }
        }
        Privacy p = Privacy.measure(SPEC, sets[0], sets[1], sets[2]);
        assertEquals(0.5, p.dcrShare(), 0.08, p.toString());
        assertEquals(p.medianHoldoutToTrain(), p.medianSyntheticToTrain(), 0.5 * p.medianHoldoutToTrain(),
                p.toString());
    }

    @Test
    void filterExemptsRowsSeveralRecordsShareOnlyOnATableOfDiscreteColumns() {
        // two categorical columns and a count: every possible row is some training row's
        TableSpec discrete = new TableSpec(List.of(Column.categorical("c", List.of("a", "b")),
                Column.categorical("d", List.of("x", "y")), Column.integer("n", 0, 3)));
        double[][] train = new double[17][];
        for (int i = 0; i < 16; i++) {
            train[i] = new double[] {i % 2, (i / 2) % 2, i / 4};
        }
        train[16] = new double[] {1, 1, 3};
        PrivacyFilter f = PrivacyFilter.build(discrete, train, train.length, 1);
        assertTrue(PrivacyFilter.filledRowSpace(train, allRows(train.length), sortedHashes(train), train.length, 1),
                "all 16 possible rows are training rows");
        assertEquals(15, f.guardedRows(), "rows that occur once");
        assertFalse(f.isCopy(new double[] {1, 1, 3}), "a row two training rows share identifies no one");
        assertTrue(f.isCopy(new double[] {0, 0, 0}));
    }

    @Test
    void filterExemptsNoSharedRowOnADiscreteTableWhoseRowsAreFewOfThePossibleOnes() {
        // wide-ranging integer columns and a class, every row in the buffer twice (a file streamed in two passes):
        // a row made of other rows' values is almost never a training row, so a copy tells who was trained on
        TableSpec integers = new TableSpec(List.of(Column.integer("a", 0, 999), Column.integer("b", 0, 999),
                Column.integer("c", 0, 999), Column.categorical("k", List.of("x", "y", "z"))));
        Random r = new Random(3);
        double[][] train = new double[400][];
        for (int i = 0; i < 200; i++) {
            train[i] = new double[] {r.nextInt(1000), r.nextInt(1000), r.nextInt(1000), r.nextInt(3)};
            train[200 + i] = train[i].clone();
        }
        assertFalse(PrivacyFilter.filledRowSpace(train, allRows(train.length), sortedHashes(train), train.length, 1));
        PrivacyFilter f = PrivacyFilter.build(integers, train, train.length, 1);
        assertEquals(200, f.guardedRows(), "every distinct row guarded");
        assertTrue(f.isCopy(train[7].clone()), "a row the buffer holds twice is still a copy");
    }

    @Test
    void filterAlsoRefusesCopiesOfHeldOutRowsTheExemptionDecidedOnTheTrainingRows() {
        TableSpec integers = new TableSpec(List.of(Column.integer("a", 0, 999), Column.integer("b", 0, 999)));
        Random r = new Random(9);
        double[][] train = new double[100][];
        for (int i = 0; i < train.length; i++) {
            train[i] = new double[] {r.nextInt(1000), r.nextInt(1000)};
        }
        double[] heldOut = {1000.5, 3};
        long[] others = {PrivacyFilter.hash(heldOut), 77};
        assertFalse(PrivacyFilter.build(integers, train, train.length, 1).isCopy(heldOut.clone()),
                "without the held-out rows' hashes a copy of one passes");
        PrivacyFilter f = PrivacyFilter.build(integers, train, train.length, others, 1, 1);
        assertTrue(f.isCopy(heldOut.clone()));
        assertTrue(f.isCopy(train[5].clone()), "the training rows still guarded");
        assertEquals(train.length + 1, f.guardedRows(), "only the first otherCount hashes are read");

        // a discrete table whose training rows fill their row space: a held-out row two records share is exempt as
        // a shared training row is, a held-out row received once is not
        TableSpec discrete = new TableSpec(List.of(Column.categorical("c", List.of("a", "b")),
                Column.integer("n", 0, 3)));
        double[][] all = new double[8][];
        for (int i = 0; i < 8; i++) {
            all[i] = new double[] {i % 2, i / 2};
        }
        double[][] trained = java.util.Arrays.copyOf(all, 6);
        long[] held = {PrivacyFilter.hash(all[6]), PrivacyFilter.hash(all[7]), PrivacyFilter.hash(all[7])};
        PrivacyFilter g = PrivacyFilter.build(discrete, trained, trained.length, held, held.length, 1);
        assertTrue(g.isCopy(all[6].clone()), "a held-out row received once");
        assertFalse(g.isCopy(all[7].clone()), "a held-out row two records share, on a filled row space");
        assertTrue(g.isCopy(all[0].clone()));
    }

    private static int[] allRows(int n) {
        return java.util.stream.IntStream.range(0, n).toArray();
    }

    private static long[] sortedHashes(double[][] rows) {
        long[] h = new long[rows.length];
        for (int i = 0; i < rows.length; i++) {
            h[i] = PrivacyFilter.hash(rows[i]);
        }
        java.util.Arrays.sort(h);
        return h;
    }

    @Test
    void filterRefusesCopiesOfUniqueRowsAndRowsNearerThanRealNeighboursAre() throws Exception {
        // 100 training rows on a grid of x (step 1, range 0..99), category a below 50, b above; one row twice
        double[][] train = new double[101][];
        for (int i = 0; i < 100; i++) {
            train[i] = new double[] {i / 50, i};
        }
        train[100] = new double[] {1, 50};
        PrivacyFilter f = PrivacyFilter.build(SPEC, train, train.length, 1);
        assertEquals(100, f.guardedRows(), "distinct rows: a table with a continuous column exempts none");
        // real rows' nearest different rows: (0 + 1/99) / 2 apart (the pair of equal rows too: twins do not count)
        double t = f.threshold(0.5);
        assertEquals(1.0 / 198, t, 1e-12);
        assertEquals(1.0 / 198, f.threshold(0), 1e-12);
        assertTrue(f.refuses(new double[] {0, 7}, t), "a copy");
        assertTrue(f.isCopy(new double[] {0, 7 + 1e-12}));
        assertTrue(f.isCopy(new double[] {1, 50}), "a row two training rows share still tells it was trained on");
        assertFalse(f.isCopy(new double[] {1, 7}));
        assertTrue(f.refuses(new double[] {0, 7.3}, t), "nearer than real neighbours are");
        assertFalse(f.refuses(new double[] {0, 7.3}, 0), "threshold 0: copies only");
        assertFalse(f.refuses(new double[] {1, 7}, t), "the other category: far");
        assertTrue(f.refuses(new double[] {1, 50}, 0), "a twin of a shared row");
        assertTrue(f.refuses(new double[] {1, 50.2}, t), "near a shared row (and a different one)");
        assertFalse(f.refuses(new double[] {1, 150}, t), "far from every training row");

        // what a checkpoint carries: copies are still refused, the distance test needs the rows
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        f.write(new DataOutputStream(bytes));
        PrivacyFilter back = PrivacyFilter.read(new DataInputStream(new ByteArrayInputStream(bytes.toByteArray())));
        assertFalse(back.hasReference());
        assertEquals(f.threshold(0.01), back.threshold(0.01));
        assertTrue(back.refuses(new double[] {0, 7}, t));
        assertFalse(back.refuses(new double[] {0, 7.3}, t));
        assertTrue(bytes.size() < 2000, "hashes and distances only: " + bytes.size());
    }
}
