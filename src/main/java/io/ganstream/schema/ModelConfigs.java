package io.ganstream.schema;

import io.ganstream.engine.impute.GainConfig;
import io.ganstream.engine.impute.WideInputs;
import io.ganstream.engine.synth.SynthConfig;
import io.ganstream.engine.synth.WideSynth;

/**
 * The models' settings for a dataset, from its schema: one rule for the service's training and for offline
 * fitting ({@code ganstream fit}), so that a model file and the service's checkpoints are the same models.
 */
public final class ModelConfigs {
    private ModelConfigs() {
    }

    /** Synthesis runs when asked for ({@code syntheticPerRecord} &gt; 0). */
    public static boolean synthesizes(DatasetSchema schema) {
        return schema.settings().syntheticPerRecord() > 0;
    }

    /** The imputer's settings for a dataset (sized for wide vector columns by {@link WideInputs}). */
    public static GainConfig gainConfig(DatasetSchema schema) {
        return gainConfig(schema, schema.settings().seed());
    }

    /** The same with another seed. */
    public static GainConfig gainConfig(DatasetSchema schema, long seed) {
        TrainingSettings s = schema.settings();
        return WideInputs.gain(GainConfig.defaults()
                .withSeed(seed)
                .withSteps(s.batchSize(), s.stepsPerWindow())
                .withReplay(s.replayCapacity(), GainConfig.defaults().recentFraction()), schema.spec());
    }

    /** The synthesizer's settings for a dataset (sized for wide vector columns by {@link WideSynth}). */
    public static SynthConfig synthConfig(DatasetSchema schema) {
        return synthConfig(schema, schema.settings().seed());
    }

    /** The same with another seed. */
    public static SynthConfig synthConfig(DatasetSchema schema, long seed) {
        TrainingSettings s = schema.settings();
        return WideSynth.config(SynthConfig.defaults().withSeed(seed).withReplay(s.replayCapacity())
                .withTargetColumn(s.target() == null ? -1 : schema.indexOf(s.target())), schema.spec());
    }
}
