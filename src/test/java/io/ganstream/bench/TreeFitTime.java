package io.ganstream.bench;

import io.ganstream.engine.impute.BoostedRefiner;
import io.ganstream.engine.impute.GainConfig;
import io.ganstream.engine.impute.GainModel;
import io.ganstream.engine.impute.GainNet;
import io.ganstream.engine.table.Column;
import io.ganstream.engine.table.ColumnStats;
import io.ganstream.engine.table.Encoder;
import io.ganstream.engine.table.TableSpec;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Times {@link BoostedRefiner#fit} (what the imputer adds at each convergence) on a synthetic table of correlated
 * numeric columns, 20% of cells missing, and prints a hash of the imputations with the trees at share ½, so that a
 * change meant to be a pure speed-up can be checked to fit the same trees.
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat target/test-classpath.txt) \
 *     io.ganstream.bench.TreeFitTime [columns=57] [rows=3600] [repeats=3]
 * </pre>
 */
public final class TreeFitTime {

    public static void main(String[] args) {
        int columns = args.length > 0 ? Integer.parseInt(args[0]) : 57;
        int n = args.length > 1 ? Integer.parseInt(args[1]) : 3600;
        int repeats = args.length > 2 ? Integer.parseInt(args[2]) : 3;
        List<Column> cols = new ArrayList<>();
        for (int i = 0; i < columns; i++) {
            cols.add(Column.continuous("x" + i, Double.NaN, Double.NaN));
        }
        TableSpec spec = new TableSpec(cols);
        SplittableRandom random = new SplittableRandom(7);
        double[][] rows = new double[n][];
        for (int r = 0; r < n; r++) {
            double z = random.nextGaussian();
            double[] row = new double[columns];
            for (int c = 0; c < columns; c++) {
                row[c] = z * (c + 1) + random.nextGaussian() + (c % 3 == 0 ? z * z : 0);
                if (random.nextDouble() < 0.2) {
                    row[c] = Double.NaN;
                }
            }
            rows[r] = row;
        }
        ColumnStats stats = new ColumnStats(spec);
        for (double[] row : rows) {
            stats.observe(row);
        }
        Encoder encoder = stats.snapshot();
        GainConfig config = GainConfig.defaults().withSeed(1);
        GainModel model = new GainNet(encoder.dims(), config, config.hiddenFor(encoder.dims())).snapshot(encoder, 1);
        for (int rep = 0; rep < repeats; rep++) {
            long t0 = System.nanoTime();
            BoostedRefiner trees = BoostedRefiner.fit(model, rows);
            double seconds = (System.nanoTime() - t0) / 1e9;
            double[][] filled = new double[n][];
            for (int i = 0; i < n; i++) {
                filled[i] = rows[i].clone();
            }
            model.withBoosted(trees.withShare(0.5)).imputeInPlace(filled);
            long hash = 0;
            for (double[] row : filled) {
                hash = hash * 31 + Arrays.hashCode(row);
            }
            System.out.printf("%d columns, %d rows: fit %.2f s, imputations hash %016x%n", columns, n, seconds, hash);
        }
    }
}
