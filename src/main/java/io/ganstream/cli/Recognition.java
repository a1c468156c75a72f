package io.ganstream.cli;

import io.ganstream.engine.quality.LabelClassifier;
import io.ganstream.engine.synth.SynthModel;
import io.ganstream.engine.table.Column;
import io.ganstream.schema.DatasetSchema;
import io.ganstream.schema.ImageColumn;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * Whether generated images show their label, as a person would judge the demo's grid: a linear softmax
 * classifier trained on most of the real images (its accuracy on the rest is the ceiling to compare with) labels
 * images the synthesizer generated conditioned on each category of the first categorical column.
 *
 * @param realAccuracy the judge's accuracy on the held-out real images
 * @param realSpread   per label, the real images' pixel variance summed over pixels (what a generator that draws
 *                     only its label's most typical strokes gives up)
 */
record Recognition(ImageColumn image, int labelColumn, List<String> labels, LabelClassifier classifier,
                   int trainedOn, int heldOut, double realAccuracy, double[] realSpread) {
    private static final int EPOCHS = 15;
    private static final int HELD_OUT_SHARE = 6;
    private static final int PER_LABEL = 100;

    /**
     * Trains the judge on {@code rows} (cells of the real images), one in {@value #HELD_OUT_SHARE} held out at
     * random; empty without a categorical column or with too few labelled images to hold any out.
     */
    static Optional<Recognition> of(DatasetSchema schema, ImageColumn image, List<double[]> rows, long seed) {
        for (int i = 0; i < schema.modeled().size(); i++) {
            Column c = schema.modeled().get(i).column();
            if (!c.isCategorical()) {
                continue;
            }
            int labelCell = schema.spec().offset(i);
            SplittableRandom random = new SplittableRandom(seed);
            List<double[]> trainX = new ArrayList<>();
            List<Integer> trainY = new ArrayList<>();
            List<double[]> testX = new ArrayList<>();
            List<Integer> testY = new ArrayList<>();
            for (double[] r : rows) {
                double[] f = features(image, r);
                if (f == null || Double.isNaN(r[labelCell])) {
                    continue;
                }
                boolean held = random.nextInt(HELD_OUT_SHARE) == 0;
                (held ? testX : trainX).add(f);
                (held ? testY : trainY).add((int) r[labelCell]);
            }
            if (trainX.isEmpty() || testX.isEmpty()) {
                return Optional.empty();
            }
            List<double[]> all = new ArrayList<>(trainX);
            all.addAll(testX);
            List<Integer> allY = new ArrayList<>(trainY);
            allY.addAll(testY);
            double[] realSpread = spread(all, allY, c.categories().size());
            LabelClassifier classifier = LabelClassifier.train(trainX.toArray(double[][]::new), ints(trainY),
                    c.categories().size(), EPOCHS, seed);
            double accuracy = classifier.accuracy(testX.toArray(double[][]::new), ints(testY));
            return Optional.of(new Recognition(image, i, c.categories(), classifier, trainX.size(), testX.size(),
                    accuracy, realSpread));
        }
        return Optional.empty();
    }

    /**
     * The judge's verdict on {@value #PER_LABEL} images generated per label.
     *
     * @param share  per label, the share the judge labels as generated
     * @param spread the generated images' per-label pixel variance over the real images', averaged over labels
     */
    record Verdict(double[] share, double spread) {
    }

    /** The share recognized per label, and the generated images' spread beside the real ones'. */
    Verdict judge(SynthModel synth, long seed) {
        double[] share = new double[labels.size()];
        double spreadSum = 0;
        int spreadLabels = 0;
        for (int k = 0; k < labels.size(); k++) {
            double[][] generated = synth.sample(PER_LABEL, Map.of(labelColumn, k), seed + k);
            int right = 0;
            List<double[]> images = new ArrayList<>();
            for (double[] g : generated) {
                double[] f = features(image, g);
                right += f != null && classifier.predict(f) == k ? 1 : 0;
                if (f != null) {
                    images.add(f);
                }
            }
            share[k] = right / (double) generated.length;
            if (realSpread[k] > 0 && images.size() > 1) {
                spreadSum += spread(images) / realSpread[k];
                spreadLabels++;
            }
        }
        return new Verdict(share, spreadLabels == 0 ? Double.NaN : spreadSum / spreadLabels);
    }

    /** One line: the overall share recognized and each label's, and the generated images' spread. */
    String describe(SynthModel synth, long seed) {
        Verdict verdict = judge(synth, seed);
        double[] share = verdict.share();
        StringBuilder perLabel = new StringBuilder();
        double sum = 0;
        for (int k = 0; k < share.length; k++) {
            sum += share[k];
            perLabel.append(k == 0 ? "" : ", ").append(labels.get(k)).append(' ')
                    .append(Math.round(100 * share[k])).append('%');
        }
        return String.format("generated images recognized as their label: %.1f%% (%d per label; %s); "
                        + "their per-label pixel variance over the real images': %.2f",
                100 * sum / share.length, PER_LABEL, perLabel, verdict.spread());
    }

    /** Per label of {@code y}, the pixel variance of its images in {@code x} summed over pixels (0: under two). */
    private static double[] spread(List<double[]> x, List<Integer> y, int labels) {
        double[] out = new double[labels];
        for (int k = 0; k < labels; k++) {
            List<double[]> of = new ArrayList<>();
            for (int i = 0; i < x.size(); i++) {
                if (y.get(i) == k) {
                    of.add(x.get(i));
                }
            }
            out[k] = of.size() < 2 ? 0 : spread(of);
        }
        return out;
    }

    /** The pixel variance of {@code images} (at least two) summed over pixels. */
    private static double spread(List<double[]> images) {
        int d = images.get(0).length;
        double total = 0;
        for (int p = 0; p < d; p++) {
            double mean = 0;
            for (double[] f : images) {
                mean += f[p];
            }
            mean /= images.size();
            double ss = 0;
            for (double[] f : images) {
                ss += (f[p] - mean) * (f[p] - mean);
            }
            total += ss / (images.size() - 1);
        }
        return total;
    }

    /** The image's pixels scaled to [0, 1], or null when one is missing. */
    private static double[] features(ImageColumn image, double[] cells) {
        double[] f = new double[image.width() * image.height()];
        for (int k = 0; k < f.length; k++) {
            f[k] = image.level(cells, k);
            if (Double.isNaN(f[k])) {
                return null;
            }
        }
        return f;
    }

    private static int[] ints(List<Integer> values) {
        return values.stream().mapToInt(Integer::intValue).toArray();
    }
}
