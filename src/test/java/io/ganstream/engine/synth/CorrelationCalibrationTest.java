package io.ganstream.engine.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.ganstream.engine.quality.QualityReport;
import io.ganstream.engine.synth.CorrelationCalibration.ClassFit;
import io.ganstream.engine.table.Column;
import io.ganstream.engine.table.TableSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class CorrelationCalibrationTest {
    private static final int DIMS = 30;

    /** A 30-dimensional Gaussian with equicorrelation rho (one shared factor), shifted by {@code shift * class}. */
    private static double[][] gaussian(int n, double rho, double shift, long seed) {
        Random r = new Random(seed);
        double[][] rows = new double[n][DIMS + 1];
        for (int i = 0; i < n; i++) {
            int label = r.nextInt(2);
            double factor = r.nextGaussian();
            for (int j = 0; j < DIMS; j++) {
                rows[i][j] = shift * label + Math.sqrt(rho) * factor + Math.sqrt(1 - rho) * r.nextGaussian();
            }
            rows[i][DIMS] = label;
        }
        return rows;
    }

    /** No row was driven by a category: the pooled map serves every row. */
    private static int[][] undriven(int n) {
        int[][] driving = new int[2][n];
        java.util.Arrays.fill(driving[0], -1);
        java.util.Arrays.fill(driving[1], -1);
        return driving;
    }

    /** Each row driven by its label (the last column), as the generator's conditional vector does. */
    private static int[][] drivenByLabel(double[][] rows) {
        int[][] driving = new int[2][rows.length];
        for (int i = 0; i < rows.length; i++) {
            driving[0][i] = DIMS;
            driving[1][i] = (int) rows[i][DIMS];
        }
        return driving;
    }

    /** The {@value #DIMS} numeric columns, then {@code categorical}. */
    private static TableSpec spec(Column... categorical) {
        List<Column> columns = new ArrayList<>();
        for (int j = 0; j < DIMS; j++) {
            columns.add(Column.continuous("x" + j, Double.NaN, Double.NaN));
        }
        columns.addAll(List.of(categorical));
        return new TableSpec(columns);
    }

    private static TableSpec spec() {
        return spec(Column.categorical("label", List.of("a", "b")));
    }

    /** Both maps fitted on {@code real} and {@code generated}, as the learner fits them at a snapshot. */
    private record Fitted(TableSpec spec, MarginalCalibration marginal, CorrelationCalibration corr) {
        static Fitted of(TableSpec spec, double[][] real, double[][] generated, int[][] driving) {
            return of(spec, real, generated, driving, ClassFit.CORRELATIONS);
        }

        static Fitted of(TableSpec spec, double[][] real, double[][] generated, int[][] driving, ClassFit classFit) {
            MarginalCalibration marginal = MarginalCalibration.fit(spec, real, real.length, generated);
            return new Fitted(spec, marginal,
                    CorrelationCalibration.fit(spec, marginal, real, real.length, generated, driving, classFit));
        }

        /** The rows as the model serves them: each driven by its label. */
        double[][] calibrate(double[][] generated) {
            double[][] out = new double[generated.length][];
            double[] decoded = new double[spec.columnCount()];
            double[] z = new double[corr.scratchSize()];
            for (int i = 0; i < generated.length; i++) {
                out[i] = generated[i].clone();
                for (int c = 0; c < DIMS; c++) {
                    decoded[c] = generated[i][spec.offset(c)];
                }
                corr.apply(spec, marginal, decoded, out[i], z, DIMS, (int) generated[i][DIMS]);
            }
            return out;
        }
    }

    @Test
    void shouldGiveIndependentGeneratedColumnsTheObservedCorrelations() {
        TableSpec spec = spec();
        double[][] real = gaussian(3000, 0.6, 0, 1);
        double[][] generated = gaussian(4000, 0.0, 0, 2);
        double[][] fixed = Fitted.of(spec, real, generated, undriven(generated.length))
                .calibrate(gaussian(4000, 0.0, 0, 3));
        double before = QualityReport.evaluate(spec, real, generated).columnPairTrends();
        double after = QualityReport.evaluate(spec, real, fixed).columnPairTrends();
        assertTrue(before < 0.75, "independent columns score low: " + before);
        assertTrue(after > 0.98, "calibrated pair trends " + after);
        assertEquals(0.6, QualityReport.pearson(fixed, 0, 7), 0.05);
    }

    @Test
    void shouldLeaveRowsThatAlreadyHaveTheObservedCorrelationsNearlyWhereTheyAre() {
        TableSpec spec = spec();
        double[][] real = gaussian(3000, 0.5, 2, 4);
        double[][] generated = gaussian(4000, 0.5, 2, 5);
        Fitted fitted = Fitted.of(spec, real, generated, undriven(generated.length));
        double[][] fixed = fitted.calibrate(generated);
        double moved = 0;
        double spread = 0;
        for (int i = 0; i < generated.length; i++) {
            double m = fitted.marginal().apply(0, generated[i][0]);
            moved += Math.abs(fixed[i][0] - m);
            spread += Math.abs(m);
        }
        assertTrue(moved / spread < 0.05, "rows moved by " + moved / spread + " of their spread");
    }

    @Test
    void shouldKeepTheClassDependentMeanOfACorrelatedGaussian() {
        // Issue 17's target: a 30-dimensional correlated Gaussian with a class-dependent mean, pair trends >= 0.95
        TableSpec spec = spec();
        double[][] real = gaussian(3000, 0.6, 1.5, 6);
        // a generator that got the classes' means but not the correlations
        double[][] generated = gaussian(4000, 0.0, 1.5, 7);
        double[][] fixed = Fitted.of(spec, real, generated, undriven(generated.length)).calibrate(generated);
        assertTrue(QualityReport.evaluate(spec, real, fixed).columnPairTrends() >= 0.95);
        double[] mean = new double[2];
        int[] count = new int[2];
        for (double[] row : fixed) {
            int label = (int) row[DIMS];
            mean[label] += row[3];
            count[label]++;
        }
        assertTrue(mean[1] / count[1] - mean[0] / count[0] > 1.0, "the classes stay apart: "
                + (mean[1] / count[1] - mean[0] / count[0]));
    }

    @Test
    void shouldCorrectTheCorrelationsWithinEachClass() {
        // class a: correlation 0.8 between columns, class b: none; the generator gives neither
        TableSpec spec = spec();
        double[][] real = concat(labelled(gaussian(1500, 0.8, 0, 8), 0), labelled(gaussian(1500, 0.0, 0, 9), 1));
        double[][] generated = concat(labelled(gaussian(2000, 0.0, 0, 10), 0),
                labelled(gaussian(2000, 0.0, 0, 11), 1));
        Fitted fitted = Fitted.of(spec, real, generated, drivenByLabel(generated));
        assertEquals(2, fitted.corr().categoryMaps());
        double[][] fixed = fitted.calibrate(generated);
        assertEquals(0.8, QualityReport.pearson(ofLabel(fixed, 0), 2, 5), 0.06);
        assertEquals(0.0, QualityReport.pearson(ofLabel(fixed, 1), 2, 5), 0.06);
    }

    @Test
    void shouldGiveEachClassItsObservedSpreadWhenAskedTo() {
        // class a is tight (sd 0.4 about -1), class b wide (sd 1 about +1); the generator blurs both to sd 1
        TableSpec spec = spec();
        double[][] real = concat(labelled(affine(gaussian(1500, 0.5, 0, 12), 0.4, -1), 0),
                labelled(affine(gaussian(1500, 0.5, 0, 13), 1.0, 1), 1));
        double[][] generated = concat(labelled(affine(gaussian(2000, 0.5, 0, 14), 1.0, -1), 0),
                labelled(affine(gaussian(2000, 0.5, 0, 15), 1.0, 1), 1));
        double observed = sd(ofLabel(real, 0), 3);
        double scaled = sd(ofLabel(Fitted.of(spec, real, generated, drivenByLabel(generated), ClassFit.SPREADS)
                .calibrate(generated), 0), 3);
        double unscaled = sd(ofLabel(Fitted.of(spec, real, generated, drivenByLabel(generated), ClassFit.CORRELATIONS)
                .calibrate(generated), 0), 3);
        String spreads = "observed " + observed + ", with class scales " + scaled + ", without " + unscaled;
        // (the per-column map already narrows the class; the last step back through the pooled quantiles keeps
        // part of the rest)
        assertTrue(unscaled > 1.4 * observed, "without them part of the generator's blur stays: " + spreads);
        assertTrue(Math.abs(scaled - observed) < 0.75 * Math.abs(unscaled - observed), spreads);
        // the correlations within the class are still the observed ones
        assertEquals(0.5, QualityReport.pearson(ofLabel(Fitted.of(spec, real, generated, drivenByLabel(generated),
                ClassFit.SPREADS).calibrate(generated), 0), 2, 5), 0.08);
    }

    @Test
    void shouldGiveEachClassItsObservedDistributionOfEveryColumnWithClassMarginals() {
        // class a's column 3 is skewed and tight (exp of a normal), class b's symmetric; the generator gives both a
        // symmetric, blurred column 3
        TableSpec spec = spec();
        double[][] realA = labelled(gaussian(1500, 0.5, 0, 16), 0);
        for (double[] row : realA) {
            row[3] = Math.exp(0.8 * row[3]) - 2;
        }
        double[][] real = concat(realA, labelled(affine(gaussian(1500, 0.5, 0, 17), 1.0, 1), 1));
        double[][] generated = concat(labelled(affine(gaussian(2000, 0.5, 0, 18), 1.5, -1), 0),
                labelled(affine(gaussian(2000, 0.5, 0, 19), 1.5, 1), 1));
        double[][] own = ofLabel(Fitted.of(spec, real, generated, drivenByLabel(generated), ClassFit.MARGINALS)
                .calibrate(generated), 0);
        double[][] pooled = ofLabel(Fitted.of(spec, real, generated, drivenByLabel(generated),
                ClassFit.CORRELATIONS).calibrate(generated), 0);
        double ownKs = QualityReport.ks(QualityReport.column(own, 3), QualityReport.column(realA, 3));
        double pooledKs = QualityReport.ks(QualityReport.column(pooled, 3), QualityReport.column(realA, 3));
        assertTrue(ownKs < 0.04 && ownKs < pooledKs / 2, "KS to class a's column 3: own marginals " + ownKs
                + ", pooled quantiles " + pooledKs);
        // the ranks, hence the correlations within the class, are the Gaussian map's
        assertEquals(0.5, QualityReport.pearson(own, 2, 5), 0.08);
    }

    @Test
    void shouldOfferTheClassMarginalsFirstAndTheCorrelationsOnlyFitSecond() {
        TableSpec spec = spec();
        double[][] real = concat(labelled(affine(gaussian(800, 0.5, 0, 26), 0.4, -1), 0),
                labelled(affine(gaussian(800, 0.5, 0, 27), 1.0, 1), 1));
        double[][] generated = concat(labelled(gaussian(1000, 0.5, 0, 28), 0), labelled(gaussian(1000, 0.5, 0, 29), 1));
        MarginalCalibration marginal = MarginalCalibration.fit(spec, real, real.length, generated);
        List<Boolean> offered = new ArrayList<>();
        for (int pick = 0; pick < 2; pick++) {
            int chosen = pick;
            CorrelationCalibration fit = CorrelationCalibration.fitChoosing(spec, marginal, real, real.length,
                    generated, drivenByLabel(generated), fits -> {
                        fits.forEach(f -> offered.add(f.hasClassMarginals()));
                        return chosen;
                    });
            assertEquals(pick == 0, fit.hasClassMarginals());
        }
        assertEquals(List.of(true, false, true, false), offered);
        // rows no category drove: nothing to choose between
        CorrelationCalibration undriven = CorrelationCalibration.fitChoosing(spec, marginal, real, real.length,
                generated, undriven(generated.length), fits -> {
                    throw new AssertionError("asked to choose without category maps");
                });
        assertEquals(0, undriven.categoryMaps());
    }

    @Test
    void shouldRestoreClassMarginalsFromTheirOwnSection() throws java.io.IOException {
        TableSpec spec = spec();
        double[][] real = concat(labelled(affine(gaussian(800, 0.5, 0, 20), 0.4, -1), 0),
                labelled(affine(gaussian(800, 0.5, 0, 21), 1.0, 1), 1));
        double[][] generated = concat(labelled(gaussian(1000, 0.5, 0, 22), 0), labelled(gaussian(1000, 0.5, 0, 23), 1));
        Fitted fitted = Fitted.of(spec, real, generated, drivenByLabel(generated), ClassFit.MARGINALS);
        assertTrue(fitted.corr().hasClassMarginals());
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
        fitted.corr().write(out);
        fitted.corr().writeClassMarginals(out);
        java.io.DataInputStream in = new java.io.DataInputStream(
                new java.io.ByteArrayInputStream(bytes.toByteArray()));
        CorrelationCalibration core = CorrelationCalibration.read(in, spec.columnCount());
        assertFalse(core.hasClassMarginals());
        Fitted back = new Fitted(spec, fitted.marginal(), core.withClassMarginals(in, spec.columnCount()));
        assertEquals(0, in.available());
        double[][] probe = concat(labelled(gaussian(300, 0.5, 0, 24), 0), labelled(gaussian(300, 0.5, 0, 25), 1));
        assertArrayEquals(fitted.calibrate(probe), back.calibrate(probe));
        // without the section the pooled quantiles serve: other values for the tight class
        assertFalse(java.util.Arrays.deepEquals(fitted.calibrate(probe), new Fitted(spec, fitted.marginal(), core)
                .calibrate(probe)));
    }

    /**
     * Two categorical columns, "label" (the numbers' class: its rows are 2 apart in every column) and "noise"
     * (independent of everything); the generator's numbers ignore the label, and half its rows were driven by each
     * column (rows × (DIMS + 2): numbers, label, noise).
     */
    private static double[][] twoKeys(int n, double shift, long seed) {
        Random r = new Random(seed);
        double[][] rows = new double[n][DIMS + 2];
        for (int i = 0; i < n; i++) {
            int label = r.nextInt(2);
            double factor = r.nextGaussian();
            for (int j = 0; j < DIMS; j++) {
                rows[i][j] = shift * label + Math.sqrt(0.5) * factor + Math.sqrt(0.5) * r.nextGaussian();
            }
            rows[i][DIMS] = label;
            rows[i][DIMS + 1] = r.nextInt(2);
        }
        return rows;
    }

    private static TableSpec twoKeySpec() {
        return spec(Column.categorical("label", List.of("a", "b")), Column.categorical("noise", List.of("p", "q")));
    }

    /** Even rows driven by their label, odd rows by their noise category. */
    private static int[][] drivenByTurns(double[][] rows) {
        int[][] driving = new int[2][rows.length];
        for (int i = 0; i < rows.length; i++) {
            driving[0][i] = DIMS + (i % 2);
            driving[1][i] = (int) rows[i][driving[0][i]];
        }
        return driving;
    }

    /** {@code rows} as a model serves them with {@code corr}, each driven as {@code driving} says. */
    private static double[][] serve(TableSpec spec, MarginalCalibration marginal, CorrelationCalibration corr,
                                    double[][] rows, int[][] driving) {
        double[][] out = new double[rows.length][];
        double[] decoded = new double[spec.columnCount()];
        double[] z = new double[corr.scratchSize()];
        for (int i = 0; i < rows.length; i++) {
            out[i] = rows[i].clone();
            System.arraycopy(rows[i], 0, decoded, 0, DIMS);
            corr.apply(spec, marginal, decoded, out[i], z, driving[0][i], driving[1][i]);
        }
        return out;
    }

    /** Mean of column 0 over label b's rows minus that over label a's. */
    private static double labelGap(double[][] rows) {
        double[] sum = new double[2];
        int[] n = new int[2];
        for (double[] row : rows) {
            int label = (int) row[DIMS];
            sum[label] += row[0];
            n[label]++;
        }
        return sum[1] / n[1] - sum[0] / n[0];
    }

    @Test
    void shouldReachEveryRowWithTheClassesOfTheColumnItIsKeyedOn() throws java.io.IOException {
        TableSpec spec = twoKeySpec();
        double[][] real = twoKeys(3000, 2, 40);
        double[][] generated = twoKeys(4000, 0, 41);
        int[][] driving = drivenByTurns(generated);
        MarginalCalibration marginal = MarginalCalibration.fit(spec, real, real.length, generated);
        // without the mean raking, which gives every category its means whatever the key (tested below)
        CorrelationCalibration byDriving = CorrelationCalibration.fit(spec, marginal, real, real.length,
                CalibrationSample.of(generated, driving), ClassFit.MARGINALS, -1, false);
        CorrelationCalibration byLabel = CorrelationCalibration.fit(spec, marginal, real, real.length,
                CalibrationSample.of(generated, driving), ClassFit.MARGINALS, DIMS, false);
        double[][] probe = twoKeys(2000, 0, 42);
        int[][] probeDriving = drivenByTurns(probe);
        double gapDriving = labelGap(serve(spec, marginal, byDriving, probe, probeDriving));
        double gapLabel = labelGap(serve(spec, marginal, byLabel, probe, probeDriving));
        // the observed gap is 2; keyed by the driving column only the label-driven half of the rows gets it
        assertEquals(2, labelGap(real), 0.1);
        assertEquals(2, gapLabel, 0.15);
        assertTrue(gapDriving < 1.5, "keyed by the driving column: gap " + gapDriving);
        // the key is a section of its own in the checkpoint: restored, the rows are the same
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
        byLabel.write(out);
        byLabel.writeClassMarginals(out);
        java.io.DataInputStream in = new java.io.DataInputStream(
                new java.io.ByteArrayInputStream(bytes.toByteArray()));
        CorrelationCalibration back = CorrelationCalibration.read(in, spec.columnCount())
                .withClassMarginals(in, spec.columnCount()).keyedOn(byLabel.keyColumn(), spec);
        assertArrayEquals(serve(spec, marginal, byLabel, probe, probeDriving),
                serve(spec, marginal, back, probe, probeDriving));
        assertThrows(java.io.IOException.class, () -> back.keyedOn(0, spec));
    }

    @Test
    void shouldGiveEveryCategoryOfEveryColumnItsObservedMeansWhateverTheKey() throws java.io.IOException {
        // keyed on the noise column, the label's classes get their gap only from the mean raking
        TableSpec spec = twoKeySpec();
        double[][] real = twoKeys(3000, 2, 45);
        double[][] generated = twoKeys(4000, 0, 46);
        int[][] driving = drivenByTurns(generated);
        MarginalCalibration marginal = MarginalCalibration.fit(spec, real, real.length, generated);
        CalibrationSample sample = CalibrationSample.of(generated, driving);
        CorrelationCalibration raked = CorrelationCalibration.fit(spec, marginal, real, real.length, sample,
                ClassFit.MARGINALS, DIMS + 1, true);
        CorrelationCalibration unraked = CorrelationCalibration.fit(spec, marginal, real, real.length, sample,
                ClassFit.MARGINALS, DIMS + 1, false);
        double[][] probe = twoKeys(2000, 0, 47);
        int[][] probeDriving = drivenByTurns(probe);
        double[][] served = serve(spec, marginal, raked, probe, probeDriving);
        assertTrue(raked.hasRaking());
        assertFalse(unraked.hasRaking());
        assertEquals(2, labelGap(served), 0.2);
        assertEquals(0, labelGap(serve(spec, marginal, unraked, probe, probeDriving)), 0.2);
        // the columns' shapes stay the observed ones: each column's mean and spread over all rows
        for (int c : new int[] {0, DIMS - 1}) {
            assertEquals(mean(real, c), mean(served, c), 0.1, "column " + c);
        }
        // the shifts are a section of their own in the checkpoint: restored, the rows are the same
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
        raked.write(out);
        raked.writeClassMarginals(out);
        raked.writeRaking(out);
        java.io.DataInputStream in = new java.io.DataInputStream(
                new java.io.ByteArrayInputStream(bytes.toByteArray()));
        CorrelationCalibration back = CorrelationCalibration.read(in, spec.columnCount())
                .withClassMarginals(in, spec.columnCount()).withRaking(in, spec).keyedOn(raked.keyColumn(), spec);
        assertArrayEquals(served, serve(spec, marginal, back, probe, probeDriving));
    }

    @Test
    void shouldNotRakeATableOfOneCategoricalColumn() {
        double[][] real = gaussian(2000, 0.5, 2, 48);
        double[][] generated = gaussian(3000, 0.5, 0, 49);
        MarginalCalibration marginal = MarginalCalibration.fit(spec(), real, real.length, generated);
        CorrelationCalibration corr = CorrelationCalibration.fit(spec(), marginal, real, real.length,
                CalibrationSample.of(generated, drivenByLabel(generated)), ClassFit.MARGINALS, -1, true);
        assertFalse(corr.hasRaking());
    }

    /** The fits {@code fitChoosing} offers on the two-key table (key column, " marginals" with them) and its choice. */
    private static CorrelationCalibration offeredOnTwoKeys(int target, int pick, List<String> offered) {
        TableSpec spec = twoKeySpec();
        double[][] real = twoKeys(3000, 2, 43);
        double[][] generated = twoKeys(4000, 0, 44);
        MarginalCalibration marginal = MarginalCalibration.fit(spec, real, real.length, generated);
        return CorrelationCalibration.fitChoosing(spec, marginal, real, real.length,
                CalibrationSample.of(generated, drivenByTurns(generated)), target, fits -> {
                    fits.forEach(f -> offered.add(f.keyColumn() + (f.hasClassMarginals() ? " marginals" : "")));
                    return pick;
                });
    }

    @Test
    void shouldOfferEveryCategoricalColumnAsAKeyAfterTheDrivingColumnsFits() {
        List<String> offered = new ArrayList<>();
        CorrelationCalibration chosen = offeredOnTwoKeys(-1, 2, offered);
        assertEquals(List.of("-1 marginals", "-1", DIMS + " marginals", (DIMS + 1) + " marginals"), offered);
        assertEquals(DIMS, chosen.keyColumn());
        assertTrue(chosen.hasClassMarginals());
    }

    @Test
    void shouldKeyEveryRowByATargetWhenOneIsNamed() {
        for (int target : new int[] {DIMS, DIMS + 1}) {
            List<String> offered = new ArrayList<>();
            CorrelationCalibration chosen = offeredOnTwoKeys(target, 1, offered);
            assertEquals(List.of(target + " marginals", String.valueOf(target)), offered, "the target's fits only");
            assertEquals(target, chosen.keyColumn());
            assertFalse(chosen.hasClassMarginals());
            assertTrue(chosen.categoryMaps() > 0);
        }
    }

    @Test
    void shouldOfferAsKeysTheCategoricalColumnsWhoseClassesMoveTheNumbersMost() {
        // the label last among six categorical columns, five of them noise
        Column[] categorical = new Column[6];
        for (int j = 0; j < 5; j++) {
            categorical[j] = Column.categorical("noise" + j, List.of("p", "q", "r"));
        }
        categorical[5] = Column.categorical("label", List.of("a", "b"));
        TableSpec spec = spec(categorical);
        Random r = new Random(50);
        double[][] labelled = twoKeys(2000, 1.5, 51);
        double[][] real = new double[labelled.length][];
        for (int i = 0; i < real.length; i++) {
            double[] base = labelled[i];
            real[i] = new double[DIMS + 6];
            System.arraycopy(base, 0, real[i], 0, DIMS);
            for (int j = 0; j < 5; j++) {
                real[i][DIMS + j] = r.nextInt(3);
            }
            real[i][DIMS + 5] = base[DIMS];
        }
        MarginalCalibration marginal = MarginalCalibration.fit(spec, real, real.length, real);
        int[] mapped = new int[DIMS];
        for (int j = 0; j < DIMS; j++) {
            mapped[j] = j;
        }
        int[] keys = KeyColumns.candidates(spec, mapped, marginal, real, real.length);
        assertEquals(KeyColumns.MAX_KEYS, keys.length);
        assertEquals(DIMS + 5, keys[keys.length - 1], "the label is among the keys, in column order");
        assertArrayEquals(keys, KeyColumns.candidates(spec, mapped, marginal, real, real.length));
    }

    /** Rows' numeric columns scaled by {@code sd} and moved to {@code mean} (in place). */
    private static double[][] affine(double[][] rows, double sd, double mean) {
        for (double[] row : rows) {
            for (int j = 0; j < DIMS; j++) {
                row[j] = mean + sd * row[j];
            }
        }
        return rows;
    }

    private static double sd(double[][] rows, int column) {
        double m = 0;
        for (double[] r : rows) {
            m += r[column] / rows.length;
        }
        double v = 0;
        for (double[] r : rows) {
            v += (r[column] - m) * (r[column] - m) / (rows.length - 1);
        }
        return Math.sqrt(v);
    }

    private static double[][] labelled(double[][] rows, int label) {
        for (double[] row : rows) {
            row[DIMS] = label;
        }
        return rows;
    }

    private static double[][] concat(double[][] a, double[][] b) {
        double[][] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    private static double[][] ofLabel(double[][] rows, int label) {
        return java.util.Arrays.stream(rows).filter(r -> r[DIMS] == label).toArray(double[][]::new);
    }

    /** Class a about 0, b about 1 (1,500 rows each), c: {@code rare} tight rows (sd 0.3) about 3. */
    private static double[][] withRareClass(int rare, long seed) {
        return concat(concat(labelled(gaussian(1500, 0.5, 0, seed), 0),
                labelled(affine(gaussian(1500, 0.5, 0, seed + 1), 1.0, 1), 1)),
                labelled(affine(gaussian(rare, 0.5, 0, seed + 2), 0.3, 3), 2));
    }

    /** The generator's rows for a, b and, blurred (sd 1 about 1.5), {@code rare} rows of c. */
    private static double[][] blurringRareClass(int rare, long seed) {
        return concat(concat(labelled(gaussian(2000, 0.5, 0, seed), 0),
                labelled(affine(gaussian(2000, 0.5, 0, seed + 1), 1.0, 1), 1)),
                labelled(affine(gaussian(rare, 0.5, 0, seed + 2), 1.0, 1.5), 2));
    }

    private static double mean(double[][] rows, int column) {
        return java.util.Arrays.stream(rows).mapToDouble(r -> r[column]).average().orElseThrow();
    }

    @Test
    void shouldMoveAClassOfTooFewRowsForCorrelationsToItsObservedMeansAndSpreads() {
        TableSpec spec = spec(Column.categorical("label", List.of("a", "b", "c")));
        double[][] real = withRareClass(12, 40);
        double[][] generated = blurringRareClass(12, 43);
        Fitted fitted = Fitted.of(spec, real, generated, drivenByLabel(generated), ClassFit.MARGINALS);
        assertEquals(3, fitted.corr().categoryMaps());
        double[][] rare = ofLabel(fitted.calibrate(generated), 2);
        String served = "class c served at mean " + mean(rare, 3) + ", sd " + sd(rare, 3) + " (observed 3, 0.3)";
        assertEquals(3, mean(rare, 3), 0.35, served);
        assertTrue(sd(rare, 3) < 0.6, served);
        // fewer rows than MIN_CLASS_ROWS: no map, the generator's own scores
        double[][] tiny = withRareClass(CorrelationCalibration.MIN_CLASS_ROWS - 1, 40);
        assertEquals(2, Fitted.of(spec, tiny, generated, drivenByLabel(generated)).corr().categoryMaps());
    }

    /**
     * Class c: {@code perCluster} rows in each of three tight clusters (sd 0.05) at -3, 0 and 3 in every column
     * (its mean and spread: 0 and 2.4, where the clusters are not); classes a and b as in {@link #withRareClass}.
     */
    private static double[][] withClusteredRareClass(int perCluster, long seed) {
        Random r = new Random(seed);
        double[][] rare = new double[3 * perCluster][DIMS + 1];
        for (int i = 0; i < rare.length; i++) {
            double centre = 3.0 * (i % 3 - 1);
            for (int j = 0; j < DIMS; j++) {
                rare[i][j] = centre + 0.05 * r.nextGaussian();
            }
            rare[i][DIMS] = 2;
        }
        return concat(concat(labelled(gaussian(1500, 0.5, 0, seed + 1), 0),
                labelled(affine(gaussian(1500, 0.5, 0, seed + 2), 1.0, 1), 1)), rare);
    }

    @Test
    void shouldKeepTheRowsOfAClassOfAFewRowsInTightClustersNearTheirClusters() throws java.io.IOException {
        TableSpec spec = spec(Column.categorical("label", List.of("a", "b", "c")));
        double[][] real = withClusteredRareClass(3, 60);
        double[][] generated = blurringRareClass(300, 63);
        Fitted fitted = Fitted.of(spec, real, generated, drivenByLabel(generated), ClassFit.MARGINALS);
        assertTrue(fitted.corr().hasAnchors());
        double[][] rare = ofLabel(fitted.calibrate(generated), 2);
        double[][] observed = ofLabel(real, 2);
        // one anchor per cluster, none of them a training row (the model carries none)
        double[][] anchors = fitted.corr().anchorsOf(DIMS, 2);
        assertTrue(anchors.length >= 3 && anchors.length <= 6, anchors.length + " anchors");
        for (double[] anchor : anchors) {
            for (double[] o : observed) {
                assertFalse(java.util.Arrays.equals(anchor, java.util.Arrays.copyOf(o, DIMS)));
            }
        }
        int near = 0;
        for (double[] row : rare) {
            // every column within 0.5 of one cluster's centre (the clusters are 3 apart), and no row a copy
            double centre = 3.0 * Math.round(row[0] / 3.0);
            boolean inCluster = Math.abs(centre) <= 3;
            for (int j = 0; j < DIMS; j++) {
                inCluster &= Math.abs(row[j] - centre) < 0.5;
            }
            near += inCluster ? 1 : 0;
            for (double[] o : observed) {
                assertFalse(java.util.Arrays.equals(java.util.Arrays.copyOf(row, DIMS),
                        java.util.Arrays.copyOf(o, DIMS)), "a served row copies an observed one");
            }
        }
        assertEquals(rare.length, near, near + " of " + rare.length + " served rows of class c in one of its clusters");
        // a row driven by class a that the generator labelled c is pulled by its own label
        double[] mislabelled = ofLabel(generated, 0)[0].clone();
        mislabelled[DIMS] = 2;
        double[] decoded = java.util.Arrays.copyOf(mislabelled, DIMS + 1);
        fitted.corr().apply(spec, fitted.marginal(), decoded, mislabelled, new double[fitted.corr().scratchSize()],
                DIMS, 0);
        double centre = 3.0 * Math.round(mislabelled[0] / 3.0);
        for (int j = 0; j < DIMS; j++) {
            assertEquals(centre, mislabelled[j], 0.5, "column " + j + " of a row labelled c, driven by a");
        }
        // the Gaussian map alone puts them between the clusters
        Fitted gaussian = new Fitted(spec, fitted.marginal(), fitted.corr().withoutAnchors());
        double[][] blurred = ofLabel(gaussian.calibrate(generated), 2);
        int between = 0;
        for (double[] row : blurred) {
            between += Math.abs(row[0] - 3.0 * Math.round(row[0] / 3.0)) > 0.5 ? 1 : 0;
        }
        assertTrue(between > blurred.length / 4, between + " of " + blurred.length + " rows between the clusters");
        // the anchors restore from their own section
        java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
        java.io.DataOutputStream out = new java.io.DataOutputStream(bytes);
        fitted.corr().write(out);
        fitted.corr().writeClassMarginals(out);
        fitted.corr().writeAnchors(out);
        java.io.DataInputStream in = new java.io.DataInputStream(
                new java.io.ByteArrayInputStream(bytes.toByteArray()));
        CorrelationCalibration back = CorrelationCalibration.read(in, spec.columnCount())
                .withClassMarginals(in, spec.columnCount()).withAnchors(in, spec.columnCount());
        assertEquals(0, in.available());
        assertArrayEquals(fitted.calibrate(generated), new Fitted(spec, fitted.marginal(), back).calibrate(generated));
    }

    @Test
    void shouldGiveAnchorsOnlyToClassesTooSmallForTheirOwnMarginals() {
        TableSpec spec = spec(Column.categorical("label", List.of("a", "b", "c")));
        double[][] generated = blurringRareClass(300, 63);
        double[][] large = withClusteredRareClass(ClassMarginals.MIN_VALUES / 3 + 1, 60);
        assertFalse(Fitted.of(spec, large, generated, drivenByLabel(generated), ClassFit.MARGINALS).corr()
                .hasAnchors());
        double[][] small = withClusteredRareClass(3, 60);
        assertFalse(Fitted.of(spec, small, generated, drivenByLabel(generated), ClassFit.CORRELATIONS).corr()
                .hasAnchors());
    }

    @Test
    void shouldFitARareClassOnTheRowsToppedUpForItAndLeaveTheOtherClassesAsTheyWere() {
        TableSpec spec = spec(Column.categorical("label", List.of("a", "b", "c")));
        double[][] real = withRareClass(60, 44);
        double[][] unconditioned = blurringRareClass(10, 47);
        double[][] topUps = labelled(affine(gaussian(50, 0.5, 0, 50), 1.0, 1.5), 2);
        double[][] all = concat(unconditioned, topUps);
        MarginalCalibration marginal = MarginalCalibration.fit(spec, real, real.length, unconditioned);
        CorrelationCalibration plain = CorrelationCalibration.fit(spec, marginal, real, real.length, unconditioned,
                drivenByLabel(unconditioned), ClassFit.MARGINALS);
        CorrelationCalibration topped = CorrelationCalibration.fit(spec, marginal, real, real.length,
                new CalibrationSample(all, drivenByLabel(all), unconditioned.length), ClassFit.MARGINALS, -1);
        Fitted withTopUps = new Fitted(spec, marginal, topped);
        double[][] rare = ofLabel(withTopUps.calibrate(topUps), 2);
        double ks = QualityReport.ks(QualityReport.column(rare, 3), QualityReport.column(ofLabel(real, 2), 3));
        assertTrue(ks < 0.15, "class c's own marginals from its topped-up rows, KS " + ks);
        // the pooled map, the quantiles and the other classes' maps are fitted on the unconditioned rows alone
        double[][] common = ofLabel(unconditioned, 0);
        assertArrayEquals(new Fitted(spec, marginal, plain).calibrate(common), withTopUps.calibrate(common));
    }

    @Test
    void shouldLeaveTablesWiderThanItsBoundToThePerColumnCalibration() {
        int wide = CorrelationCalibration.MAX_COLUMNS + 1;
        List<Column> columns = new ArrayList<>();
        for (int j = 0; j < wide; j++) {
            columns.add(Column.continuous("x" + j, Double.NaN, Double.NaN));
        }
        TableSpec spec = new TableSpec(columns);
        Random r = new Random(3);
        double[][] rows = new double[200][wide];
        for (double[] row : rows) {
            for (int j = 0; j < wide; j++) {
                row[j] = r.nextGaussian();
            }
        }
        MarginalCalibration marginal = MarginalCalibration.fit(spec, rows, rows.length, rows);
        assertNull(CorrelationCalibration.fit(spec, marginal, rows, rows.length, rows, undriven(rows.length), ClassFit.CORRELATIONS));
    }

    @Test
    void shouldNotFitWithFewerThanTwoNumericColumns() {
        TableSpec spec = new TableSpec(List.of(Column.continuous("x", Double.NaN, Double.NaN),
                Column.categorical("label", List.of("a", "b"))));
        double[][] rows = new double[100][];
        Random r = new Random(1);
        for (int i = 0; i < rows.length; i++) {
            rows[i] = new double[] {r.nextGaussian(), r.nextInt(2)};
        }
        MarginalCalibration marginal = MarginalCalibration.fit(spec, rows, rows.length, rows);
        assertNull(CorrelationCalibration.fit(spec, marginal, rows, rows.length, rows, undriven(rows.length), ClassFit.CORRELATIONS));
    }
}
