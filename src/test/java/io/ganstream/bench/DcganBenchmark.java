package io.ganstream.bench;

import io.ganstream.engine.nn.Dl4j;
import io.ganstream.engine.nn.FlatAdam;
import io.ganstream.engine.synth.SynthConfig;
import io.ganstream.engine.synth.SynthLearner;
import io.ganstream.engine.synth.SynthModel;
import io.ganstream.engine.synth.WideSynth;
import io.ganstream.io.ImageGrid;
import io.ganstream.schema.DatasetSchema;
import io.ganstream.schema.ImageColumn;
import io.ganstream.schema.SchemaParser;
import io.ganstream.service.BundledSchemas;
import org.deeplearning4j.nn.conf.MultiLayerConfiguration;
import org.deeplearning4j.nn.conf.NeuralNetConfiguration;
import org.deeplearning4j.nn.conf.inputs.InputType;
import org.deeplearning4j.nn.conf.layers.ConvolutionLayer;
import org.deeplearning4j.nn.conf.layers.Deconvolution2D;
import org.deeplearning4j.nn.conf.layers.DenseLayer;
import org.deeplearning4j.nn.conf.preprocessor.FeedForwardToCnnPreProcessor;
import org.deeplearning4j.nn.gradient.Gradient;
import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;
import org.deeplearning4j.nn.weights.WeightInit;
import org.deeplearning4j.nn.workspace.LayerWorkspaceMgr;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.learning.config.Adam;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * Issue 8's question "convolutional generator/discriminator where they beat the dense ones": a small
 * label-conditioned DCGAN-style pair in Deeplearning4j (G: [z, one-hot] -> dense 64×7×7 -> Deconvolution2D to
 * 32×14×14 -> Deconvolution2D to 1×28×28, sigmoid; D: image + 10 label planes -> two stride-2 ConvolutionLayers
 * (32, 64 channels, leaky ReLU) -> dense logit; non-saturating GAN loss, Adam 2e-4 / beta1 0.5) against the
 * service's dense synthesizer ({@link SynthLearner} with the {@link WideSynth} configuration the mnist schema
 * gets), both trained on the same 8,000 digits for the same number of images seen, one ND4J thread each (as the
 * engine runs), one after the other. Prints, for each, the share of 200 label-conditioned samples per label
 * that {@link MnistBenchmark}'s softmax classifier recognizes as their label, the smallest per-label pixel
 * variance ratio (samples / real: collapse shows as a small ratio) and training images per second; writes a
 * sample grid (a row per label) of each.
 *
 * <pre>
 * java -Dorg.bytedeco.javacpp.maxPhysicalBytes=0 -cp target/test-classes:target/classes:$(cat target/test-classpath.txt) \
 *     io.ganstream.bench.DcganBenchmark ../shared/data/mnist-10k.csv.gz [images seen, 64000] [out-dir]
 * </pre>
 */
public final class DcganBenchmark {
    static final int SIDE = MnistBenchmark.SIDE;
    static final int PIXELS = MnistBenchmark.PIXELS;
    static final int NOISE = 64;
    static final int BATCH = 64;
    static final long SEED = 1;

    private DcganBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args.length > 0 ? args[0] : "../shared/data/mnist-10k.csv.gz");
        long budget = args.length > 1 ? Long.parseLong(args[1]) : 64_000;
        Path out = Path.of(args.length > 2 ? args[2] : "target/dcgan-bench");
        Files.createDirectories(out);
        DatasetSchema schema = new SchemaParser().parse("mnist", BundledSchemas.bundled().get("mnist"));
        ImageColumn image = ImageColumn.of(schema).orElseThrow();
        List<double[]> rows = MnistBenchmark.read(file);
        List<double[]> train = rows.subList(0, 8000);
        MnistBenchmark.Softmax clf = MnistBenchmark.Softmax.train(train, 15, 7);
        System.out.printf("classifier: %.1f%% of the 2,000 real test digits; budget %d images seen per GAN; %d cores%n",
                100 * clf.accuracy(rows.subList(8000, 10_000)), budget, Runtime.getRuntime().availableProcessors());
        System.out.println("| synthesizer | images seen | train s | images/s | recognized | min variance ratio |");
        System.out.println("| --- | --- | --- | --- | --- | --- |");

        // dense: the service's synthesizer, fed windows of 200 digits as the stream would
        SynthConfig cfg = WideSynth.config(SynthConfig.defaults().withSeed(SEED)
                .withReplay(schema.settings().replayCapacity()), schema.spec());
        SynthLearner dense = new SynthLearner(schema.spec(), cfg);
        List<List<double[]>> windows = MnistBenchmark.windows(train);
        long t0 = System.nanoTime();
        int w = 0;
        while (dense.net().steps() * (long) cfg.batchSize() < budget) {
            dense.trainWindow(windows.get(w++ % windows.size()));
        }
        double denseSeconds = (System.nanoTime() - t0) / 1e9;
        long denseImages = dense.net().steps() * cfg.batchSize();
        SynthModel model = dense.latestModel();
        report("dense (service)", denseImages, denseSeconds, (label, n, seed) ->
                model.sample(n, Map.of(0, label), seed), clf, train, image, out.resolve("dense-per-label.png"));

        // convolutional: same digits, shuffled mini-batches, same number of images
        Dcgan conv = new Dcgan(SEED);
        long t1 = System.nanoTime();
        long convImages = 0;
        Random rng = new Random(SEED);
        while (convImages < budget) {
            conv.step(train, rng);
            convImages += BATCH;
        }
        double convSeconds = (System.nanoTime() - t1) / 1e9;
        report("DCGAN (DL4J conv)", convImages, convSeconds, conv::sample, clf, train, image,
                out.resolve("dcgan-per-label.png"));
    }

    interface Sampler {
        double[][] sample(int label, int n, long seed);
    }

    static void report(String name, long images, double seconds, Sampler sampler, MnistBenchmark.Softmax clf,
                       List<double[]> train, ImageColumn image, Path png) throws Exception {
        List<double[]> all = new ArrayList<>();
        List<double[]> grid = new ArrayList<>();
        double minRatio = Double.POSITIVE_INFINITY;
        for (int label = 0; label < 10; label++) {
            double[][] s = sampler.sample(label, 200, 100 + label);
            all.addAll(Arrays.asList(s));
            grid.addAll(Arrays.asList(s).subList(0, 10));
            final int l = label;
            minRatio = Math.min(minRatio, MnistBenchmark.variance(Arrays.asList(s))
                    / MnistBenchmark.variance(train.stream().filter(r -> r[0] == l).toList()));
        }
        ImageGrid.write(ImageGrid.grid(grid, image, 10, 2), png);
        System.out.printf("| %s | %d | %.0f | %.0f | %.1f%% | %.2f |%n", name, images, seconds, images / seconds,
                100 * clf.accuracy(all), minRatio);
    }

    /** The conditional DCGAN-style pair, trained with external errors as the engine's GANs are. */
    static final class Dcgan {
        private static final LayerWorkspaceMgr NO_WS = LayerWorkspaceMgr.noWorkspaces();
        final MultiLayerNetwork g;
        final MultiLayerNetwork d;
        final FlatAdam gAdam;
        final FlatAdam dAdam;
        final Random noise;
        int step;

        Dcgan(long seed) {
            Dl4j.init();
            noise = new Random(seed + 1);
            MultiLayerConfiguration gc = new NeuralNetConfiguration.Builder().seed(seed).dataType(DataType.FLOAT)
                    .updater(new Adam(2e-4, 0.5, 0.999, 1e-8)).weightInit(WeightInit.XAVIER).miniBatch(false)
                    .list()
                    .layer(new DenseLayer.Builder().nIn(NOISE + 10).nOut(64 * 7 * 7).activation(Activation.RELU).build())
                    .inputPreProcessor(1, new FeedForwardToCnnPreProcessor(7, 7, 64))
                    // (in - 1) * stride + kernel - 2 * padding: 7 -> 14 -> 28
                    .layer(new Deconvolution2D.Builder().nIn(64).nOut(32).kernelSize(4, 4).stride(2, 2).padding(1, 1)
                            .activation(Activation.RELU).build())
                    .layer(new Deconvolution2D.Builder().nIn(32).nOut(1).kernelSize(4, 4).stride(2, 2).padding(1, 1)
                            .activation(Activation.SIGMOID).build())
                    .build();
            g = new MultiLayerNetwork(gc);
            g.init();
            MultiLayerConfiguration dc = new NeuralNetConfiguration.Builder().seed(seed * 31 + 7)
                    .dataType(DataType.FLOAT).updater(new Adam(2e-4, 0.5, 0.999, 1e-8)).weightInit(WeightInit.XAVIER)
                    .miniBatch(false)
                    .list()
                    .layer(new ConvolutionLayer.Builder().nIn(11).nOut(32).kernelSize(4, 4).stride(2, 2).padding(1, 1)
                            .activation(Activation.LEAKYRELU).build())
                    .layer(new ConvolutionLayer.Builder().nOut(64).kernelSize(4, 4).stride(2, 2).padding(1, 1)
                            .activation(Activation.LEAKYRELU).build())
                    .layer(new DenseLayer.Builder().nOut(1).activation(Activation.IDENTITY).build())
                    .setInputType(InputType.convolutional(SIDE, SIDE, 11))
                    .build();
            d = new MultiLayerNetwork(dc);
            d.init();
            gAdam = new FlatAdam(g);
            dAdam = new FlatAdam(d);
        }

        /** G's input: standard normal noise then the label one-hot. */
        INDArray gInput(int[] labels, Random rng) {
            float[] in = new float[labels.length * (NOISE + 10)];
            for (int i = 0; i < labels.length; i++) {
                int o = i * (NOISE + 10);
                for (int k = 0; k < NOISE; k++) {
                    in[o + k] = (float) rng.nextGaussian();
                }
                in[o + NOISE + labels[i]] = 1f;
            }
            return Nd4j.create(in, new long[]{labels.length, NOISE + 10}, 'c');
        }

        /** D's input: the image (pixels in [0, 1]) as channel 0, then 10 planes, the label's one all ones. */
        static INDArray dInput(float[][] images, int[] labels) {
            int n = labels.length;
            float[] in = new float[n * 11 * PIXELS];
            for (int i = 0; i < n; i++) {
                int o = i * 11 * PIXELS;
                System.arraycopy(images[i], 0, in, o, PIXELS);
                Arrays.fill(in, o + (1 + labels[i]) * PIXELS, o + (2 + labels[i]) * PIXELS, 1f);
            }
            return Nd4j.create(in, new long[]{n, 11, SIDE, SIDE}, 'c');
        }

        static float[][] images(INDArray gOut) {
            float[] flat = gOut.dup('c').data().asFloat();
            int n = (int) gOut.size(0);
            float[][] out = new float[n][];
            for (int i = 0; i < n; i++) {
                out[i] = Arrays.copyOfRange(flat, i * PIXELS, (i + 1) * PIXELS);
            }
            return out;
        }

        static INDArray forward(MultiLayerNetwork net, INDArray in) {
            net.setInput(in);
            List<INDArray> acts = net.feedForward(true, false);
            return acts.get(acts.size() - 1);
        }

        static double sigmoid(double z) {
            return 1 / (1 + Math.exp(-z));
        }

        /** One D update (real batch + fakes) and one G update (non-saturating loss through the updated D). */
        void step(List<double[]> train, Random rng) {
            int n = BATCH;
            int[] labels = new int[n];
            float[][] real = new float[n][PIXELS];
            for (int i = 0; i < n; i++) {
                double[] r = train.get(rng.nextInt(train.size()));
                labels[i] = (int) r[0];
                for (int k = 0; k < PIXELS; k++) {
                    real[i][k] = (float) (r[1 + k] / 255);
                }
            }
            INDArray gIn = gInput(labels, noise);
            float[][] fake = images(forward(g, gIn));
            // ---- D: real then fake in one batch of 2n, BCE on logits, mean over the 2n
            float[][] both = new float[2 * n][];
            int[] bothLabels = new int[2 * n];
            for (int i = 0; i < n; i++) {
                both[i] = real[i];
                both[n + i] = fake[i];
                bothLabels[i] = labels[i];
                bothLabels[n + i] = labels[i];
            }
            float[] logits = forward(d, dInput(both, bothLabels)).dup().data().asFloat();
            float[] errD = new float[2 * n];
            for (int i = 0; i < 2 * n; i++) {
                errD[i] = (float) ((sigmoid(logits[i]) - (i < n ? 1 : 0)) / (2 * n));
            }
            Gradient gd = d.backpropGradient(Nd4j.create(errD, new long[]{2 * n, 1}, 'c'), NO_WS).getFirst();
            dAdam.apply(gd.gradient(), step);
            // ---- G: -mean log D(G(z)) through the updated D; the input gradient's image channel goes to G
            float[] lf = forward(d, dInput(fake, labels)).dup().data().asFloat();
            float[] errG = new float[n];
            for (int i = 0; i < n; i++) {
                errG[i] = (float) ((sigmoid(lf[i]) - 1) / n);
            }
            INDArray eps = d.backpropGradient(Nd4j.create(errG, new long[]{n, 1}, 'c'), NO_WS).getSecond();
            INDArray epsImage = eps.get(org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.interval(0, 1), org.nd4j.linalg.indexing.NDArrayIndex.all(),
                    org.nd4j.linalg.indexing.NDArrayIndex.all()).dup('c');
            // G's layer inputs are still those of its forward pass above (D's passes do not touch G)
            Gradient gg = g.backpropGradient(epsImage, NO_WS).getFirst();
            gAdam.apply(gg.gradient(), step);
            step++;
        }

        /** {@code n} digits of {@code label} as rows [label, 784 pixels 0..255]. */
        double[][] sample(int label, int n, long seed) {
            int[] labels = new int[n];
            Arrays.fill(labels, label);
            float[][] img = images(g.output(gInput(labels, new Random(seed)), false));
            double[][] rows = new double[n][1 + PIXELS];
            for (int i = 0; i < n; i++) {
                rows[i][0] = label;
                for (int k = 0; k < PIXELS; k++) {
                    rows[i][1 + k] = 255.0 * img[i][k];
                }
            }
            return rows;
        }
    }
}
