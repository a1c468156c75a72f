package io.ganstream.bench;

import io.ganstream.engine.impute.GainConfig;
import io.ganstream.engine.impute.GainLearner;
import io.ganstream.engine.impute.GainModel;
import io.ganstream.engine.train.Trainer;
import io.ganstream.engine.train.TrainerSettings;
import io.ganstream.engine.train.TrainingBudget;
import io.ganstream.schema.DatasetSchema;
import io.ganstream.schema.ModelConfigs;
import io.ganstream.schema.SchemaParser;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Centre inpainting of digits at several sizes, the imputer against kNN. MNIST's 28×28 digits and 14×14 and 8×8
 * versions made from them (box-filter downsampling), each as a dataset of a label and an image column (the bundled
 * mnist schema with another side). 8,000 digits go to the one {@link Trainer} at once (the bulk-load protocol: all
 * rows offered, trained until converged), 2,000 others have their centre square (about a third of the side: 10, 5
 * and 3 pixels) removed, label kept. RMSE over the removed pixels in [0, 1] units, next to the mean image and kNN
 * (k = 5, Euclidean over the pixels present, as sklearn's KNNImputer on the pixel columns).
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat target/test-classpath.txt) io.ganstream.bench.ImageInpaintEval \
 *     ../shared/data/mnist-10k.csv.gz [sides=28,14,8]
 * </pre>
 */
public final class ImageInpaintEval {
    private static final int TRAIN = 8_000;
    private static final int K = 5;

    private ImageInpaintEval() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args.length > 0 ? args[0] : "../shared/data/mnist-10k.csv.gz");
        String sides = args.length > 1 ? args[1] : "28,14,8";
        List<double[]> digits = MnistBenchmark.read(file);
        System.out.printf("%d digits: %d train, %d test; %d cores%n", digits.size(), TRAIN, digits.size() - TRAIN,
                Runtime.getRuntime().availableProcessors());
        for (String s : sides.split(",")) {
            run(digits, Integer.parseInt(s.trim()));
        }
    }

    private static void run(List<double[]> digits, int side) throws Exception {
        int pixels = side * side;
        int centre = Math.round(side / 3f) + (side == 28 ? 1 : 0); // 10, 5, 3
        int from = (side - centre) / 2;
        DatasetSchema schema = new SchemaParser().parse("digits" + side, schemaJson(side));
        List<double[]> rows = new ArrayList<>();
        for (double[] d : digits) {
            rows.add(resize(d, side));
        }
        List<double[]> train = rows.subList(0, TRAIN);
        List<double[]> test = rows.subList(TRAIN, rows.size());
        boolean[] hole = new boolean[pixels];
        for (int y = from; y < from + centre; y++) {
            for (int x = from; x < from + centre; x++) {
                hole[y * side + x] = true;
            }
        }

        GainConfig cfg = ModelConfigs.gainConfig(schema);
        GainLearner learner = new GainLearner(schema.spec(), cfg);
        long t0 = System.nanoTime();
        GainModel model;
        TrainerSettings settings = TrainerSettings.defaults(train.size(), cfg.stepsPerWindow());
        try (Trainer<GainModel> trainer = new Trainer<>("digits" + side, learner, settings,
                TrainingBudget.unlimited(), null, null)) {
            for (double[] r : train) {
                trainer.offer(r.clone());
            }
            if (!trainer.awaitConverged(3_600_000)) {
                throw new IllegalStateException("not converged within an hour");
            }
            model = trainer.latestModel();
        }
        double seconds = (System.nanoTime() - t0) / 1e9;

        double[][] masked = new double[test.size()][];
        for (int i = 0; i < test.size(); i++) {
            masked[i] = test.get(i).clone();
            for (int p = 0; p < pixels; p++) {
                if (hole[p]) {
                    masked[i][1 + p] = Double.NaN;
                }
            }
        }
        double[][] filled = new double[masked.length][];
        for (int i = 0; i < masked.length; i++) {
            filled[i] = masked[i].clone();
        }
        model.imputeInPlace(filled);

        double[] mean = new double[1 + pixels];
        for (double[] r : train) {
            for (int p = 1; p <= pixels; p++) {
                mean[p] += r[p] / train.size();
            }
        }
        double seGan = 0;
        double seMean = 0;
        double seKnn = 0;
        long cells = 0;
        double[][] knnFilled = MnistBenchmark.Knn.fill(train, masked, K);
        for (int i = 0; i < test.size(); i++) {
            double[] truth = test.get(i);
            double[] knn = knnFilled[i];
            for (int p = 0; p < pixels; p++) {
                if (!hole[p]) {
                    continue;
                }
                double t = truth[1 + p] / 255;
                seGan += sq(filled[i][1 + p] / 255 - t);
                seMean += sq(mean[1 + p] / 255 - t);
                seKnn += sq(knn[1 + p] / 255 - t);
                cells++;
            }
        }
        double gan = Math.sqrt(seGan / cells);
        double knnRmse = Math.sqrt(seKnn / cells);
        System.out.printf("RESULT side=%d centre=%dx%d ganstream=%.4f knn=%.4f mean=%.4f below_knn=%s steps=%d "
                        + "hidden=%d train_s=%.0f%n", side, centre, centre, gan, knnRmse, Math.sqrt(seMean / cells),
                gan < knnRmse, learner.steps(), model.layerSizes()[1], seconds);
    }

    private static double sq(double v) {
        return v * v;
    }

    /** A 28×28 digit (label first, pixels 0-255) at {@code side}: each output pixel the mean of the input area it covers. */
    static double[] resize(double[] digit, int side) {
        double[] out = new double[1 + side * side];
        out[0] = digit[0];
        double f = 28.0 / side;
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                double sum = 0;
                double weight = 0;
                for (int sy = (int) Math.floor(y * f); sy < Math.min(28, Math.ceil((y + 1) * f)); sy++) {
                    double wy = Math.min(sy + 1, (y + 1) * f) - Math.max(sy, y * f);
                    for (int sx = (int) Math.floor(x * f); sx < Math.min(28, Math.ceil((x + 1) * f)); sx++) {
                        double wx = Math.min(sx + 1, (x + 1) * f) - Math.max(sx, x * f);
                        sum += wy * wx * digit[1 + sy * 28 + sx];
                        weight += wy * wx;
                    }
                }
                out[1 + y * side + x] = sum / weight;
            }
        }
        return out;
    }

    /** The bundled mnist schema with another side. */
    static String schemaJson(int side) {
        int n = side * side;
        return "{\"type\":\"object\",\"properties\":{"
                + "\"label\":{\"type\":\"string\",\"enum\":[\"0\",\"1\",\"2\",\"3\",\"4\",\"5\",\"6\",\"7\",\"8\",\"9\"]},"
                + "\"pixels\":{\"type\":[\"array\",\"null\"],\"items\":{\"type\":[\"number\",\"null\"],\"minimum\":0,"
                + "\"maximum\":255},\"minItems\":" + n + ",\"maxItems\":" + n + ",\"x-ganstream-image\":{\"width\":"
                + side + ",\"height\":" + side + "}}},"
                + "\"x-ganstream\":{\"windowRecords\":200,\"stepsPerWindow\":80,\"syntheticPerRecord\":0,"
                + "\"replayCapacity\":10000,\"seed\":1}}";
    }
}
