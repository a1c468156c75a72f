package io.ganstream.engine.synth;

/** Receives every new model version; called on the trainer thread. */
@FunctionalInterface
public interface SynthListener {
    void onModel(String dataset, SynthModel model, SynthStats stats);
}
