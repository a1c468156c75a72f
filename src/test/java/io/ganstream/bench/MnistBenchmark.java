package io.ganstream.bench;

import io.ganstream.engine.impute.GainLearner;
import io.ganstream.engine.impute.GainConfig;
import io.ganstream.engine.impute.GainModel;
import io.ganstream.engine.impute.WideInputs;
import io.ganstream.engine.quality.LabelClassifier;
import io.ganstream.engine.synth.SynthConfig;
import io.ganstream.engine.synth.SynthLearner;
import io.ganstream.engine.synth.SynthModel;
import io.ganstream.engine.synth.WideSynth;
import io.ganstream.io.ImageGrid;
import io.ganstream.schema.DatasetSchema;
import io.ganstream.schema.ImageColumn;
import io.ganstream.schema.SchemaParser;
import io.ganstream.service.BundledSchemas;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.zip.GZIPInputStream;

/**
 * MNIST, issue 8's targets: 8,000 digits streamed (in windows, through the same trainers the service runs,
 * sized for wide inputs as the service sizes them), 2,000 held out. Prints inpainting RMSE (pixels in [0,1]) for
 * 20% MCAR and centre 10×10 masks next to the mean and kNN (k=5), a softmax-regression classifier's accuracy on
 * real, inpainted and label-conditioned synthetic digits, per-label pixel variance ratios, a nearest-neighbour
 * copy check and training throughput. Writes sample and before/after grids to the output folder.
 *
 * <pre>
 * java -cp target/test-classes:target/classes:$(cat target/test-classpath.txt) io.ganstream.bench.MnistBenchmark \
 *     ../shared/data/mnist-10k.csv.gz [passes] [out-dir]
 * </pre>
 */
public final class MnistBenchmark {
    static final int SIDE = 28;
    static final int PIXELS = SIDE * SIDE;
    static final int WINDOW = 200;

    private MnistBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args.length > 0 ? args[0] : "../shared/data/mnist-10k.csv.gz");
        int passes = args.length > 1 ? Integer.parseInt(args[1]) : 2;
        Path out = Path.of(args.length > 2 ? args[2] : "target/mnist-bench");
        DatasetSchema schema = new SchemaParser().parse("mnist", BundledSchemas.bundled().get("mnist"));
        ImageColumn image = ImageColumn.of(schema).orElseThrow();
        List<double[]> rows = read(file);
        List<double[]> train = rows.subList(0, 8000);
        List<double[]> test = rows.subList(8000, 10_000);
        System.out.printf("MNIST: %d train, %d test digits; %d passes in windows of %d; %d cores%n", train.size(),
                test.size(), passes, WINDOW, Runtime.getRuntime().availableProcessors());

        Softmax clf = Softmax.train(train, 15, 7);
        System.out.printf("classifier (softmax regression on real digits): %.1f%% of real test digits%n",
                100 * clf.accuracy(test));

        // both GANs train at once, as in the service (each on its own thread)
        GainConfig gainBase = GainConfig.defaults().withSeed(schema.settings().seed())
                .withSteps(schema.settings().batchSize(), schema.settings().stepsPerWindow())
                .withReplay(schema.settings().replayCapacity(), GainConfig.defaults().recentFraction())
                .withQueueCapacity(100_000);
        // experiments: -Dmnist.hidden=H overrides the sized hidden width, -Dmnist.denoise=RATE,WEIGHT the drop
        if (System.getProperty("mnist.hidden") != null) {
            gainBase = gainBase.withNetwork(Integer.getInteger("mnist.hidden"), gainBase.alpha(), gainBase.hintRate(),
                    gainBase.learningRate(), gainBase.lrHalfLife());
        }
        if (System.getProperty("mnist.lr") != null) {
            // -Dmnist.lr=RATE,HALF_LIFE: Adam's rate and its decay (steps to half)
            String[] l = System.getProperty("mnist.lr").split(",");
            gainBase = gainBase.withNetwork(gainBase.hidden(), gainBase.alpha(), gainBase.hintRate(),
                    Double.parseDouble(l[0]), Integer.parseInt(l[1]));
        }
        if (System.getProperty("mnist.alpha") != null) {
            gainBase = gainBase.withNetwork(gainBase.hidden(), Double.parseDouble(System.getProperty("mnist.alpha")),
                    gainBase.hintRate(), gainBase.learningRate(), gainBase.lrHalfLife());
        }
        GainConfig gainCfg = WideInputs.gain(gainBase, schema.spec());
        if (System.getProperty("mnist.denoise") != null) {
            String[] d = System.getProperty("mnist.denoise").split(",");
            gainCfg = gainCfg.withDenoise(Double.parseDouble(d[0]), Double.parseDouble(d[1]));
        }
        SynthConfig synthCfg = WideSynth.config(SynthConfig.defaults().withSeed(schema.settings().seed())
                .withReplay(schema.settings().replayCapacity()), schema.spec());
        if (System.getProperty("synth.loss") != null) {
            synthCfg = synthCfg.withLoss(System.getProperty("synth.loss"), synthCfg.gpWeight());
        }
        System.out.println("imputer " + gainCfg);
        System.out.println("synthesizer " + synthCfg);
        long t0 = System.nanoTime();
        GainModel gan;
        double[] synthSeconds = new double[1];
        // -Dmnist.synth=false trains and scores the imputer alone (its numbers do not depend on the
        // synthesizer: each GAN has its own seeded generator), for quicker imputer experiments
        boolean withSynth = Boolean.parseBoolean(System.getProperty("mnist.synth", "true"));
        final SynthLearner synth = new SynthLearner(schema.spec(), synthCfg);
        Thread synthThread = new Thread(() -> {
            long s0 = System.nanoTime();
            for (int p = 0; withSynth && p < passes; p++) {
                for (List<double[]> w : windows(train)) {
                    synth.trainWindow(w);
                }
            }
            synthSeconds[0] = (System.nanoTime() - s0) / 1e9;
        }, "synth");
        synthThread.start();
        double gainSeconds;
        long gainSteps;
        {
            GainLearner learner = new GainLearner(schema.spec(), gainCfg);
            GainModel latest = null;
            for (int p = 0; p < passes; p++) {
                for (List<double[]> w : windows(train)) {
                    latest = learner.trainWindow(w);
                }
            }
            gainSeconds = (System.nanoTime() - t0) / 1e9;
            gan = latest;
            gainSteps = learner.steps();
        }
        synthThread.join();
        long synthSteps = synth.net().steps();
        System.out.printf("training (both GANs at once, one thread each): imputer %d steps x %d in %.0f s = %.0f "
                        + "images/s; synthesizer %d steps x %d in %.0f s = %.0f images/s%n", gainSteps,
                gainCfg.batchSize(), gainSeconds, gainSteps * gainCfg.batchSize() / gainSeconds, synthSteps,
                synthCfg.batchSize(), synthSeconds[0], synthSteps * synthCfg.batchSize() / synthSeconds[0]);

        Files.createDirectories(out);
        double[] mean = new double[1 + PIXELS];
        for (double[] r : train) {
            for (int k = 1; k <= PIXELS; k++) {
                mean[k] += r[k] / train.size();
            }
        }
        System.out.println();
        System.out.println("| mask | mean RMSE | kNN (k=5) RMSE | GAN RMSE | clf on mean | on kNN | on GAN |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- |");
        for (String mask : List.of("mcar20", "centre10")) {
            double[][] holed = mask(test, mask, 11);
            double[][] byMean = fill(holed, (r, k) -> mean[k]);
            double[][] byKnn = Knn.fill(train, holed, 5);
            double[][] byGan = new double[holed.length][];
            for (int i = 0; i < holed.length; i++) {
                byGan[i] = holed[i].clone();
            }
            gan.imputeInPlace(byGan);
            System.out.printf("| %s | %.3f | %.3f | %.3f | %.1f%% | %.1f%% | %.1f%% |%n", mask,
                    rmse(test, holed, byMean), rmse(test, holed, byKnn), rmse(test, holed, byGan),
                    100 * clf.accuracy(withLabels(byMean, test)), 100 * clf.accuracy(withLabels(byKnn, test)),
                    100 * clf.accuracy(withLabels(byGan, test)));
            // how much of the gap to the unmasked digits is the label: the same digits with their label given
            double[][] known = new double[holed.length][];
            long right = 0;
            for (int i = 0; i < holed.length; i++) {
                known[i] = holed[i].clone();
                known[i][0] = test.get(i)[0];
                right += byGan[i][0] == test.get(i)[0] ? 1 : 0;
            }
            gan.imputeInPlace(known);
            System.out.printf("  label filled by the GAN right for %.1f%%; with the true label given: RMSE %.3f, "
                    + "clf %.1f%%%n", 100.0 * right / holed.length, rmse(test, holed, known),
                    100 * clf.accuracy(withLabels(known, test)));
            List<double[]> grid = new ArrayList<>();
            for (int i = 0; i < 16; i++) {
                grid.add(holed[i]);
                grid.add(byGan[i]);
                grid.add(byKnn[i]);
                grid.add(test.get(i));
            }
            Path png = out.resolve("inpaint-" + mask + ".png");
            ImageGrid.write(ImageGrid.grid(grid, image, 8, 2), png);
            System.out.println("  before | GAN | kNN | truth, two digits a row: " + png);
        }

        // the same centre mask on 2,000 of the trained digits: far below the test digits' RMSE = memorized
        List<double[]> seen = train.subList(0, 2000);
        double[][] seenHoled = mask(seen, "centre10", 11);
        double[][] seenByGan = new double[seenHoled.length][];
        for (int i = 0; i < seenHoled.length; i++) {
            seenByGan[i] = seenHoled[i].clone();
        }
        gan.imputeInPlace(seenByGan);
        System.out.printf("centre10 on 2,000 trained digits: GAN RMSE %.3f (test digits above; a large gap = "
                + "memorized)%n", rmse(seen, seenHoled, seenByGan));

        if (!withSynth) {
            return;
        }
        SynthModel model = synth.latestModel();
        System.out.println();
        int perLabel = 200;
        List<double[]> samples = new ArrayList<>();
        double[] ratio = new double[10];
        List<double[]> grid = new ArrayList<>();
        for (int label = 0; label < 10; label++) {
            double[][] s = model.sample(perLabel, Map.of(0, label), 100 + label);
            samples.addAll(Arrays.asList(s));
            final int l = label;
            ratio[label] = variance(Arrays.asList(s)) / variance(train.stream().filter(r -> r[0] == l).toList());
            grid.addAll(Arrays.asList(s).subList(0, 10));
        }
        Path png = out.resolve("samples-per-label.png");
        ImageGrid.write(ImageGrid.grid(grid, image, 10, 2), png);
        System.out.printf("synthesizer (%s): label-conditioned samples recognized as their label: %.1f%% (%d per "
                + "label); grid (a row per label): %s%n", model.version(), 100 * clf.accuracy(samples), perLabel, png);
        StringBuilder ratios = new StringBuilder();
        double minRatio = Double.POSITIVE_INFINITY;
        for (int l = 0; l < 10; l++) {
            ratios.append(String.format(" %d:%.2f", l, ratio[l]));
            minRatio = Math.min(minRatio, ratio[l]);
        }
        System.out.println("per-label pixel variance, samples / real:" + ratios + " (min " + String.format("%.2f", minRatio) + ")");
        double[] realNn = Knn.nearestDistances(train, test);
        double[] synthNn = Knn.nearestDistances(train, samples);
        Arrays.sort(realNn);
        Arrays.sort(synthNn);
        double p5 = realNn[(int) (0.05 * realNn.length)];
        long below = Arrays.stream(synthNn).filter(d -> d < p5).count();
        System.out.printf("nearest training digit (L2, [0,1] pixels): real test digits p5 %.2f median %.2f; samples "
                        + "min %.2f p5 %.2f median %.2f; %d of %d samples below the real p5%n", p5,
                realNn[realNn.length / 2], synthNn[0], synthNn[(int) (0.05 * synthNn.length)],
                synthNn[synthNn.length / 2], below, synthNn.length);
    }

    /** Rows [label, p0..p783] of the peers' CSV (header label,p0,...). */
    static List<double[]> read(Path file) throws Exception {
        List<double[]> rows = new ArrayList<>();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(new GZIPInputStream(Files.newInputStream(file)),
                StandardCharsets.UTF_8))) {
            in.readLine();
            String line;
            while ((line = in.readLine()) != null) {
                String[] f = line.split(",");
                double[] r = new double[1 + PIXELS];
                for (int i = 0; i <= PIXELS; i++) {
                    r[i] = Double.parseDouble(f[i]);
                }
                rows.add(r);
            }
        }
        return rows;
    }

    static List<List<double[]>> windows(List<double[]> rows) {
        List<List<double[]>> out = new ArrayList<>();
        for (int s = 0; s < rows.size(); s += WINDOW) {
            List<double[]> w = new ArrayList<>();
            for (double[] r : rows.subList(s, Math.min(rows.size(), s + WINDOW))) {
                w.add(r.clone());
            }
            out.add(w);
        }
        return out;
    }

    /** Test digits with the label unknown and the mask's pixels missing. */
    static double[][] mask(List<double[]> test, String kind, long seed) {
        Random rng = new Random(seed);
        double[][] out = new double[test.size()][];
        for (int i = 0; i < out.length; i++) {
            double[] r = test.get(i).clone();
            r[0] = Double.NaN;
            for (int k = 0; k < PIXELS; k++) {
                int y = k / SIDE;
                int x = k % SIDE;
                boolean hide = kind.equals("mcar20") ? rng.nextDouble() < 0.2 : y >= 9 && y < 19 && x >= 9 && x < 19;
                if (hide) {
                    r[1 + k] = Double.NaN;
                }
            }
            out[i] = r;
        }
        return out;
    }

    interface Filler {
        double value(int row, int cell);
    }

    static double[][] fill(double[][] holed, Filler f) {
        double[][] out = new double[holed.length][];
        for (int i = 0; i < holed.length; i++) {
            out[i] = holed[i].clone();
            for (int k = 1; k <= PIXELS; k++) {
                if (Double.isNaN(out[i][k])) {
                    out[i][k] = f.value(i, k);
                }
            }
        }
        return out;
    }

    /** RMSE over the masked pixels, pixels scaled to [0, 1]. */
    static double rmse(List<double[]> truth, double[][] holed, double[][] filled) {
        double sum = 0;
        long n = 0;
        for (int i = 0; i < holed.length; i++) {
            for (int k = 1; k <= PIXELS; k++) {
                if (Double.isNaN(holed[i][k])) {
                    double d = (filled[i][k] - truth.get(i)[k]) / 255;
                    sum += d * d;
                    n++;
                }
            }
        }
        return Math.sqrt(sum / n);
    }

    /** The filled pixels with the true labels (what the classifier is scored against). */
    static List<double[]> withLabels(double[][] filled, List<double[]> truth) {
        List<double[]> out = new ArrayList<>();
        for (int i = 0; i < filled.length; i++) {
            double[] r = filled[i].clone();
            r[0] = truth.get(i)[0];
            out.add(r);
        }
        return out;
    }

    /** Mean over pixels of the per-pixel variance ([0,1] units). */
    static double variance(List<double[]> rows) {
        double total = 0;
        for (int k = 1; k <= PIXELS; k++) {
            double s = 0;
            double s2 = 0;
            for (double[] r : rows) {
                double v = r[k] / 255;
                s += v;
                s2 += v * v;
            }
            double m = s / rows.size();
            total += s2 / rows.size() - m * m;
        }
        return total / PIXELS;
    }

    /** k nearest training digits by the observed pixels (label first, then any number of pixels). */
    static final class Knn {
        static double[][] fill(List<double[]> train, double[][] holed, int k) {
            double[][] out = new double[holed.length][];
            java.util.stream.IntStream.range(0, holed.length).parallel().forEach(i -> {
                double[] q = holed[i];
                double[] best = new double[k];
                int[] idx = new int[k];
                Arrays.fill(best, Double.POSITIVE_INFINITY);
                for (int t = 0; t < train.size(); t++) {
                    double[] r = train.get(t);
                    double d = 0;
                    for (int p = 1; p < q.length && d < best[k - 1]; p++) {
                        if (!Double.isNaN(q[p])) {
                            double x = q[p] - r[p];
                            d += x * x;
                        }
                    }
                    if (d < best[k - 1]) {
                        int j = k - 1;
                        while (j > 0 && best[j - 1] > d) {
                            best[j] = best[j - 1];
                            idx[j] = idx[j - 1];
                            j--;
                        }
                        best[j] = d;
                        idx[j] = t;
                    }
                }
                double[] r = q.clone();
                for (int p = 1; p < q.length; p++) {
                    if (Double.isNaN(r[p])) {
                        double s = 0;
                        for (int j = 0; j < k; j++) {
                            s += train.get(idx[j])[p];
                        }
                        r[p] = s / k;
                    }
                }
                out[i] = r;
            });
            return out;
        }

        /** L2 distance ([0,1] pixels) of each query to its nearest training digit. */
        static double[] nearestDistances(List<double[]> train, List<double[]> queries) {
            double[] out = new double[queries.size()];
            java.util.stream.IntStream.range(0, queries.size()).parallel().forEach(i -> {
                double[] q = queries.get(i);
                double best = Double.POSITIVE_INFINITY;
                for (double[] r : train) {
                    double d = 0;
                    for (int p = 1; p <= PIXELS && d < best; p++) {
                        double x = q[p] - r[p];
                        d += x * x;
                    }
                    best = Math.min(best, d);
                }
                out[i] = Math.sqrt(best) / 255;
            });
            return out;
        }
    }

    /** The engine's {@link LabelClassifier} on rows of this benchmark (label first, then pixels 0..255). */
    static final class Softmax {
        private final LabelClassifier classifier;

        private Softmax(LabelClassifier classifier) {
            this.classifier = classifier;
        }

        static Softmax train(List<double[]> rows, int epochs, long seed) {
            return new Softmax(LabelClassifier.train(pixels(rows), labels(rows), 10, epochs, seed));
        }

        double accuracy(List<double[]> rows) {
            return classifier.accuracy(pixels(rows), labels(rows));
        }

        private static double[][] pixels(List<double[]> rows) {
            double[][] x = new double[rows.size()][PIXELS];
            for (int i = 0; i < x.length; i++) {
                for (int k = 0; k < PIXELS; k++) {
                    x[i][k] = rows.get(i)[k + 1] / 255;
                }
            }
            return x;
        }

        private static int[] labels(List<double[]> rows) {
            return rows.stream().mapToInt(r -> (int) r[0]).toArray();
        }
    }
}
