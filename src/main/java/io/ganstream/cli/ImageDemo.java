package io.ganstream.cli;

import io.ganstream.launch.StreamedPasses;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ganstream.engine.synth.SynthModel;
import io.ganstream.io.ImageGrid;
import io.ganstream.schema.DatasetSchema;
import io.ganstream.schema.ImageColumn;
import io.ganstream.schema.InvalidRecordException;
import io.ganstream.schema.RecordCodec;
import io.ganstream.service.DatasetModels;
import io.ganstream.engine.train.TrainerStatus;
import io.micronaut.context.ApplicationContext;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SplittableRandom;

/**
 * The demo of an image dataset (MNIST): streams the bundled images pass after pass with pixels missing (every
 * other image loses a centre square, the others {@code rate} of their pixels at random) and after each pass
 * writes two PNG grids a person can watch improve: synthetic images per category of the first categorical
 * column (a row per label) and before/after/truth triples of inpainted images (missing pixels red).
 */
final class ImageDemo {
    private static final int SHOWN = 12;
    private static final int PER_LABEL = 10;

    private final DatasetSchema schema;
    private final ImageColumn image;
    private final Path outDir;
    private final List<ObjectNode> truth = new ArrayList<>();
    private final List<ObjectNode> masked = new ArrayList<>();
    private int maskedPixels;

    ImageDemo(DatasetSchema schema, ImageColumn image, Path outDir) {
        this.schema = schema;
        this.image = image;
        this.outDir = outDir;
    }

    /** Masks the images of {@code records}: a centre square of a third of the side, or {@code rate} MCAR. */
    void mask(List<ObjectNode> records, double rate, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int w = image.width();
        int h = image.height();
        int side = Math.max(1, Math.min(w, h) / 3 + 1);
        int x0 = (w - side) / 2;
        int y0 = (h - side) / 2;
        for (int i = 0; i < records.size(); i++) {
            ObjectNode r = records.get(i);
            if (!(r.get(image.name()) instanceof ArrayNode)) {
                continue;
            }
            ObjectNode m = r.deepCopy();
            ArrayNode px = (ArrayNode) m.get(image.name());
            for (int k = 0; k < w * h; k++) {
                int x = k % w;
                int y = k / w;
                boolean hide = i % 2 == 0 ? x >= x0 && x < x0 + side && y >= y0 && y < y0 + side
                        : random.nextDouble() < rate;
                if (hide) {
                    px.set(k, px.nullNode());
                    maskedPixels++;
                }
            }
            truth.add(r);
            masked.add(m);
        }
    }

    /** The unmasked images' cells, in the order they were masked. */
    List<double[]> truthCells() throws InvalidRecordException {
        List<double[]> cells = new ArrayList<>();
        for (ObjectNode r : truth) {
            cells.add(cells(r));
        }
        return cells;
    }

    List<ObjectNode> masked() {
        return masked;
    }

    int maskedPixels() {
        return maskedPixels;
    }

    /** Pixel RMSE ([0, 1] units of the image's black..white) of {@code filled} over the masked pixels. */
    double rmse(List<? extends JsonNode> filled) {
        double sum = 0;
        long n = 0;
        double span = image.white() - image.black();
        for (int i = 0; i < truth.size(); i++) {
            JsonNode before = masked.get(i).get(image.name());
            JsonNode after = filled.get(i).path(image.name());
            JsonNode real = truth.get(i).get(image.name());
            for (int k = 0; k < real.size(); k++) {
                if (before.get(k).isNull()) {
                    double d = (after.path(k).asDouble(Double.NaN) - real.get(k).asDouble()) / span;
                    sum += d * d;
                    n++;
                }
            }
        }
        return Math.sqrt(sum / n);
    }

    /** The same masks filled with each pixel's mean over the observed images: the baseline. */
    double meanRmse() {
        int pixels = image.width() * image.height();
        double[] s = new double[pixels];
        int[] c = new int[pixels];
        for (ObjectNode m : masked) {
            JsonNode px = m.get(image.name());
            for (int k = 0; k < pixels; k++) {
                if (!px.get(k).isNull()) {
                    s[k] += px.get(k).asDouble();
                    c[k]++;
                }
            }
        }
        List<ObjectNode> filled = new ArrayList<>();
        for (ObjectNode m : masked) {
            ObjectNode f = m.deepCopy();
            ArrayNode px = (ArrayNode) f.get(image.name());
            for (int k = 0; k < pixels; k++) {
                if (px.get(k).isNull()) {
                    px.set(k, px.numberNode(c[k] == 0 ? 0 : s[k] / c[k]));
                }
            }
            filled.add(f);
        }
        return rmse(filled);
    }

    /** Writes this pass's grids and returns their paths. */
    List<Path> writeGrids(int pass, List<JsonNode> imputed, DatasetModels models, long seed) throws Exception {
        List<Path> written = new ArrayList<>();
        List<double[]> triples = new ArrayList<>();
        for (int i = 0; i < Math.min(SHOWN, imputed.size()); i++) {
            triples.add(cells(masked.get(i)));
            triples.add(imputed.get(i) instanceof ObjectNode o ? cells(o) : null);
            triples.add(cells(truth.get(i)));
        }
        Path inpaint = outDir.resolve(String.format("inpainted-pass-%02d.png", pass));
        ImageGrid.write(ImageGrid.grid(triples, image, 6, 3), inpaint);
        written.add(inpaint);
        Optional<SynthModel> synth = models.synthesizer(schema);
        if (synth.isPresent()) {
            Path samples = outDir.resolve(String.format("generated-pass-%02d.png", pass));
            ImageGrid.write(ImageGrid.grid(perLabel(synth.get(), seed), image, PER_LABEL, 3), samples);
            written.add(samples);
        }
        return written;
    }

    /** {@link #PER_LABEL} synthetic images per category of the first categorical column, a grid row each. */
    private List<double[]> perLabel(SynthModel model, long seed) {
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < schema.modeled().size(); i++) {
            var c = schema.modeled().get(i).column();
            if (!c.isCategorical()) {
                continue;
            }
            for (int k = 0; k < c.categories().size(); k++) {
                Map<Integer, Integer> condition = new HashMap<>();
                condition.put(i, k);
                rows.addAll(List.of(model.sample(PER_LABEL, condition, seed + k)));
            }
            return rows;
        }
        rows.addAll(List.of(model.sample(PER_LABEL * PER_LABEL, seed)));
        return rows;
    }

    private double[] cells(ObjectNode record) throws InvalidRecordException {
        return RecordCodec.read(schema, record).cells();
    }

    /**
     * Runs the image demo: masks, streams {@code passes} times and after each pass waits for both models to
     * converge on what they have seen (a count of steps on stderr), then prints the inpainting RMSE, how many
     * generated images a classifier trained on the real ones recognizes as their label, and the grids' paths.
     */
    static void run(ApplicationContext context, DatasetSchema schema, ImageColumn image, List<ObjectNode> records,
                    int passes, double rate, long seed, Path outDir, PrintStream out) throws Exception {
        ImageDemo demo = new ImageDemo(schema, image, outDir);
        demo.mask(records, rate, seed);
        out.printf("dataset %s: %d images of %dx%d, %d pixels masked (every other image a centre square, the others "
                        + "%.0f%% at random), streamed %d times; grids go to %s%n", schema.name(),
                demo.masked().size(), image.width(), image.height(), demo.maskedPixels(), rate * 100, passes,
                outDir.toAbsolutePath());
        double mean = demo.meanRmse();
        Optional<Recognition> recognition = Recognition.of(schema, image, demo.truthCells(), seed);
        recognition.ifPresent(r -> out.printf("judge of the generated images: a softmax classifier trained on %d of "
                + "the real images recognizes %.1f%% of the other %d%n", r.trainedOn(), 100 * r.realAccuracy(),
                r.heldOut()));
        DatasetModels models = context.getBean(DatasetModels.class);
        try (StreamedPasses streamed = new StreamedPasses(context, schema.name())) {
            ConvergenceBar bar = new ConvergenceBar(models, schema);
            streamed.whileTraining(bar::update).run(demo.masked(), passes, pass -> {
                try {
                    bar.done();
                    List<Path> grids = demo.writeGrids(pass.number(), pass.rows(), models, seed);
                    out.printf("pass %2d (%.0f s, training included): inpainting RMSE %.4f (per-pixel mean %.4f), "
                                    + "imputed by %s; %s%n", pass.number(), pass.seconds(), demo.rmse(pass.rows()),
                            mean, pass.lastModel(), ConvergenceBar.states(models.training(schema)));
                    Optional<SynthModel> synth = models.synthesizer(schema);
                    if (recognition.isPresent() && synth.isPresent()) {
                        out.println("  " + recognition.get().describe(synth.get(), seed));
                    }
                    grids.forEach(g -> out.println("  wrote " + g.toAbsolutePath()));
                } catch (Exception e) {
                    throw new IllegalStateException("cannot write the grids of pass " + pass.number(), e);
                }
            });
        }
    }

    /**
     * The count drawn while a pass waits for both models to converge: steps taken during the wait, open-ended
     * (when the held-out measures stop improving cannot be foreseen), and each model's state and held-out figure.
     */
    private static final class ConvergenceBar {
        private final DatasetModels models;
        private final DatasetSchema schema;
        private Progress progress;
        private long before;
        private long steps;

        ConvergenceBar(DatasetModels models, DatasetSchema schema) {
            this.models = models;
            this.schema = schema;
        }

        void update() {
            DatasetModels.TrainingView view = models.training(schema);
            steps = statuses(view).stream().mapToLong(TrainerStatus::steps).sum();
            if (progress == null) {
                progress = new Progress("converging", -1, "step");
                before = steps;
            }
            progress.update(steps - before, states(view));
        }

        void done() {
            if (progress != null) {
                progress.done(steps - before, states(models.training(schema)));
                progress = null;
            }
        }

        static String states(DatasetModels.TrainingView view) {
            List<TrainerStatus> both = statuses(view);
            TrainerStatus i = both.get(0);
            TrainerStatus g = both.get(1);
            String imputer = String.format(java.util.Locale.ROOT, "imputer %s after %d steps (held-out RMSE %.4f)",
                    i.state().wireName(), i.steps(), i.measure());
            return view.synthesizer() == null ? imputer : String.format(java.util.Locale.ROOT,
                    "%s, synthesizer %s after %d steps (held-out quality %.3f)", imputer, g.state().wireName(),
                    g.steps(), 1 - g.measure());
        }

        private static List<TrainerStatus> statuses(DatasetModels.TrainingView view) {
            return List.of(view.imputer() == null ? TrainerStatus.empty() : view.imputer(),
                    view.synthesizer() == null ? TrainerStatus.empty() : view.synthesizer());
        }
    }
}
