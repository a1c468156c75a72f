package io.ganstream.engine.synth;

/**
 * Hyper-parameters of the synthesizer.
 *
 * @param seed            seed of every random choice (init, noise, sampling, replay)
 * @param batchSize       rows per step (a multiple of {@code pac})
 * @param stepsPerWindow  G+D steps trained per window
 * @param replayCapacity  rows kept (uniform reservoir over the stream)
 * @param noiseDim        generator noise width
 * @param genHidden       generator hidden width (2 ReLU layers)
 * @param discHidden      discriminator hidden width (2 LeakyReLU(0.2) layers)
 * @param pac             PacGAN group size
 * @param lrG             generator Adam learning rate (beta1 0.5, beta2 0.9 as CTGAN)
 * @param lrD             discriminator Adam learning rate
 * @param loss            "wgan-gp" (analytic gradient penalty, lambda {@code gpWeight}) or "ns" (non-saturating)
 * @param gpWeight        gradient penalty weight (wgan-gp)
 * @param maxModes        mixture slots per numeric column
 * @param refitEvery      refit the mode mixtures every this many windows (warm-started EM)
 * @param queueCapacity   windows waiting for the trainer thread
 * @param emaDecay        EMA of the generator weights published in models (0 = raw weights)
 * @param condWeight      weight of the conditional cross-entropy term of G
 * @param targetColumn    the categorical column downstream models predict (the dataset's {@code target}): every
 *                        row's class map is keyed by its category in it; -1: the key is chosen from the rows
 */
public record SynthConfig(long seed, int batchSize, int stepsPerWindow, int replayCapacity, int noiseDim,
                          int genHidden, int discHidden, int pac, double lrG, double lrD, String loss,
                          double gpWeight, int maxModes, int refitEvery, int queueCapacity, double emaDecay,
                          double condWeight, int targetColumn) {

    public SynthConfig {
        if (pac < 1 || batchSize % pac != 0) {
            throw new IllegalArgumentException("batchSize must be a multiple of pac");
        }
        if (!loss.equals("wgan-gp") && !loss.equals("ns")) {
            throw new IllegalArgumentException("loss must be wgan-gp or ns");
        }
    }

    public static SynthConfig defaults() {
        return new SynthConfig(42, 200, 50, 20_000, 32, 128, 128, 10, 2e-4, 2e-4, "wgan-gp", 10.0, 5, 4, 4,
                0.995, 1.0, -1);
    }

    public SynthConfig withSeed(long s) {
        return new SynthConfig(s, batchSize, stepsPerWindow, replayCapacity, noiseDim, genHidden, discHidden, pac,
                lrG, lrD, loss, gpWeight, maxModes, refitEvery, queueCapacity, emaDecay, condWeight, targetColumn);
    }

    public SynthConfig withSteps(int batch, int steps, int pacSize) {
        return new SynthConfig(seed, batch, steps, replayCapacity, noiseDim, genHidden, discHidden, pacSize,
                lrG, lrD, loss, gpWeight, maxModes, refitEvery, queueCapacity, emaDecay, condWeight, targetColumn);
    }

    public SynthConfig withNetwork(int noise, int gHidden, int dHidden, double lrGen, double lrDisc) {
        return new SynthConfig(seed, batchSize, stepsPerWindow, replayCapacity, noise, gHidden, dHidden, pac,
                lrGen, lrDisc, loss, gpWeight, maxModes, refitEvery, queueCapacity, emaDecay, condWeight, targetColumn);
    }

    public SynthConfig withLoss(String l, double gp) {
        return new SynthConfig(seed, batchSize, stepsPerWindow, replayCapacity, noiseDim, genHidden, discHidden, pac,
                lrG, lrD, l, gp, maxModes, refitEvery, queueCapacity, emaDecay, condWeight, targetColumn);
    }

    public SynthConfig withModes(int modes, int refit) {
        return new SynthConfig(seed, batchSize, stepsPerWindow, replayCapacity, noiseDim, genHidden, discHidden, pac,
                lrG, lrD, loss, gpWeight, modes, refit, queueCapacity, emaDecay, condWeight, targetColumn);
    }

    public SynthConfig withEma(double decay) {
        return new SynthConfig(seed, batchSize, stepsPerWindow, replayCapacity, noiseDim, genHidden, discHidden, pac,
                lrG, lrD, loss, gpWeight, maxModes, refitEvery, queueCapacity, decay, condWeight, targetColumn);
    }

    public SynthConfig withQueueCapacity(int q) {
        return new SynthConfig(seed, batchSize, stepsPerWindow, replayCapacity, noiseDim, genHidden, discHidden, pac,
                lrG, lrD, loss, gpWeight, maxModes, refitEvery, q, emaDecay, condWeight, targetColumn);
    }

    public SynthConfig withReplay(int capacity) {
        return new SynthConfig(seed, batchSize, stepsPerWindow, capacity, noiseDim, genHidden, discHidden, pac,
                lrG, lrD, loss, gpWeight, maxModes, refitEvery, queueCapacity, emaDecay, condWeight, targetColumn);
    }

    /** The same, every row's class map keyed by its category in {@code column} (-1: the key chosen from the rows). */
    public SynthConfig withTargetColumn(int column) {
        return new SynthConfig(seed, batchSize, stepsPerWindow, replayCapacity, noiseDim, genHidden, discHidden, pac,
                lrG, lrD, loss, gpWeight, maxModes, refitEvery, queueCapacity, emaDecay, condWeight, column);
    }
}
