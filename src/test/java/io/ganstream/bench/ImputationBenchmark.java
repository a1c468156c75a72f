package io.ganstream.bench;

import io.ganstream.engine.table.Column;
import io.ganstream.engine.table.ColumnStats;
import io.ganstream.engine.table.Encoder;
import io.ganstream.engine.impute.BoostedRefiner;
import io.ganstream.engine.impute.GainConfig;
import io.ganstream.engine.impute.GainModel;
import io.ganstream.engine.impute.GainNet;
import io.ganstream.engine.impute.TwinRefiner;
import io.ganstream.engine.table.TableSpec;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

/**
 * Imputation cost per record on one core: the trained generator run through ganstream's lean forward pass
 * (per record, as the stream calls it, and in batches), against DL4J's own {@code output()} for one row,
 * the naive way. Run: see README, "Benchmarks".
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
@Threads(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class ImputationBenchmark {
    private static final int BATCH = 1024;

    @Param({"30"})
    int columns;

    /**
     * {@code table}: {@link #columns} columns, 25 numeric and 5 categorical of 4 values, 20% of cells missing;
     * {@code digits}: a 28 x 28 image (four pixels in five 0, as in handwritten digits) and its label, the
     * centre 10 x 10 square missing in every row (inpainting).
     */
    @Param({"table"})
    String shape;

    /** G's hidden width: 0 = the small auto width; 128 and 256 are what the capacity rule grows to. */
    @Param({"0", "128", "256"})
    int hidden;

    /** With the boosted trees blended in at share 0.5 (what a table whose held-out rows chose them serves). */
    @Param({"false", "true"})
    boolean trees;

    /**
     * With twins at share 0.5 (what a table of repeated designs whose held-out rows chose them serves): the table's
     * rows then repeat 700 designs, each row a design's values but for three columns of its own (concrete's shape:
     * a mix tested at several ages), so that a record's twins are its design's other rows.
     */
    @Param({"false"})
    boolean twins;

    /**
     * How many of the numeric cells the twins have a share in, from the first (0 = all of them): a table keeps
     * twins on the cells its held-out rows bore out (concrete seven of nine, shuttle two of ten).
     */
    @Param({"0"})
    int twinCells;

    private GainModel model;
    private GainNet net;
    private double[][] template;
    private double[][] work;
    private double[] oneRow;
    private INDArray dl4jRow;
    private int next;

    @Setup
    public void setUp() {
        SplittableRandom random = new SplittableRandom(7);
        double[][] rows = new double[4096][];
        TableSpec spec = "digits".equals(shape) ? digits(rows, random) : table(rows, random);
        ColumnStats stats = new ColumnStats(spec);
        for (double[] row : rows) {
            stats.observe(row);
        }
        Encoder encoder = stats.snapshot();
        GainConfig config = GainConfig.defaults().withSeed(1).withCategoricalFirst("digits".equals(shape));
        net = new GainNet(encoder.dims(), config, hidden > 0 ? hidden : config.hiddenFor(encoder.dims()));
        double[][] batch = new double[128][];
        for (int step = 0; step < 50; step++) {
            for (int i = 0; i < batch.length; i++) {
                batch[i] = rows[random.nextInt(rows.length)];
            }
            net.trainStep(batch, encoder);
        }
        model = net.snapshot(encoder, 1);
        if (trees) {
            model = model.withBoosted(BoostedRefiner.fit(model, rows).withShare(0.5));
        }
        if (twins) {
            TwinRefiner t = TwinRefiner.of(rows, spec.cellCount());
            System.out.printf("twins: %d reference rows, %.0f index entries per record%n", t.rows(), t.lookupCost());
            double[] shares = new double[spec.cellCount()];
            for (int c = 0; c < shares.length; c++) {
                shares[c] = spec.column(c).isCategorical() || twinCells > 0 && c >= twinCells ? 0 : 0.5;
            }
            model = model.withTwins(t.withShares(shares));
        }
        template = java.util.Arrays.copyOf(rows, BATCH);
        work = new double[BATCH][spec.cellCount()];
        oneRow = new double[spec.cellCount()];
        dl4jRow = Nd4j.rand(1, 2 * encoder.dims())
                .castTo(net.pair().generator().network().params().dataType());
    }

    private TableSpec table(double[][] rows, SplittableRandom random) {
        List<Column> cols = new ArrayList<>();
        for (int i = 0; i < columns - 5; i++) {
            cols.add(Column.continuous("x" + i, Double.NaN, Double.NaN));
        }
        for (int i = 0; i < 5; i++) {
            cols.add(Column.categorical("c" + i, List.of("a", "b", "c", "d")));
        }
        TableSpec spec = new TableSpec(cols);
        double[][] designs = new double[twins ? 700 : 0][];
        for (int d = 0; d < designs.length; d++) {
            designs[d] = draw(spec, random);
        }
        for (int r = 0; r < rows.length; r++) {
            double[] design = twins ? designs[random.nextInt(designs.length)] : null;
            double z = random.nextGaussian();
            double[] row = new double[spec.cellCount()];
            for (int c = 0; c < row.length; c++) {
                row[c] = cell(spec, c, z, random);
                if (design != null && c >= 3) {
                    row[c] = design[c];
                }
                if (random.nextDouble() < 0.2) {
                    row[c] = Double.NaN;
                }
            }
            rows[r] = row;
        }
        return spec;
    }

    /** One row: numbers correlated through a common factor z, categories that lean on its sign. */
    private static double[] draw(TableSpec spec, SplittableRandom random) {
        double z = random.nextGaussian();
        double[] row = new double[spec.cellCount()];
        for (int c = 0; c < row.length; c++) {
            row[c] = cell(spec, c, z, random);
        }
        return row;
    }

    /** Cell {@code c} of a row of common factor {@code z}. */
    private static double cell(TableSpec spec, int c, double z, SplittableRandom random) {
        return spec.column(c).isCategorical() ? (z > 0 ? 1 : 0) + random.nextInt(2) * 2
                : z * (c + 1) + random.nextGaussian();
    }

    private static TableSpec digits(double[][] rows, SplittableRandom random) {
        int side = 28;
        List<String> labels = List.of("0", "1", "2", "3", "4", "5", "6", "7", "8", "9");
        TableSpec spec = new TableSpec(List.of(Column.image("pixels", side, side, 0, 255),
                Column.categorical("label", labels)));
        for (int r = 0; r < rows.length; r++) {
            double[] row = new double[spec.cellCount()];
            for (int p = 0; p < side * side; p++) {
                int y = p / side;
                int x = p % side;
                boolean centre = y >= 9 && y < 19 && x >= 9 && x < 19;
                row[p] = centre ? Double.NaN : random.nextDouble() < 0.8 ? 0 : 1 + random.nextInt(255);
            }
            row[side * side] = random.nextInt(labels.size());
            rows[r] = row;
        }
        return spec;
    }

    /** The stream's call: one record at a time through the lean forward pass. */
    @Benchmark
    public double[] leanForwardPerRecord() {
        double[] source = template[next++ & (BATCH - 1)];
        System.arraycopy(source, 0, oneRow, 0, oneRow.length);
        model.imputeInPlace(new double[][]{oneRow});
        return oneRow;
    }

    /** Batches of 1024 records (HTTP batch imputation). */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public double[][] leanForwardBatch() {
        for (int i = 0; i < BATCH; i++) {
            System.arraycopy(template[i], 0, work[i], 0, work[i].length);
        }
        model.imputeInPlace(work);
        return work;
    }

    /** The naive way: DL4J's output() for one row, per record (the generator forward pass alone). */
    @Benchmark
    public INDArray dl4jOutputPerRecord() {
        return net.pair().generator().network().output(dl4jRow);
    }
}
