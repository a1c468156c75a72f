package io.ganstream.service;

import io.ganstream.engine.synth.SynthModel;
import io.ganstream.metrics.GanstreamMetrics;
import io.ganstream.schema.DatasetSchema;
import java.util.Map;

/**
 * Synthetic rows as the service hands them out (D.synthetic, {@code POST /datasets/{name}/samples},
 * {@code GET /datasets/{name}/samples.png}): through the model's privacy filter when the dataset's settings turn it
 * on ({@code x-ganstream.privacyFilter}, at {@code privacyQuantile}), withheld rows counted in
 * {@code ganstream_privacy_filtered_total}; then with cells left missing as the training rows missed them
 * ({@code x-ganstream.syntheticMissing}, on by default).
 */
public final class PrivateSamples {
    private PrivateSamples() {
    }

    /** Up to {@code n} rows (fewer when the filter withheld too many: see {@link SynthModel#sampleFiltered}). */
    public static SynthModel.Filtered sample(DatasetSchema schema, GanstreamMetrics metrics, SynthModel model, int n,
                                             Map<Integer, Integer> conditions, long seed) {
        SynthModel.Filtered f;
        if (!schema.settings().privacyFilter()) {
            f = new SynthModel.Filtered(model.sample(n, conditions, seed), 0, 0);
        } else {
            f = model.sampleFiltered(n, conditions, seed, schema.settings().privacyQuantile());
            if (f.refused() > 0) {
                metrics.privacyFiltered(schema.name()).increment(f.refused());
            }
        }
        // after the filter: it judges a row by all its values, and a row only loses values here
        if (schema.settings().syntheticMissing()) {
            model.leaveMissing(f.rows(), conditions, seed);
        }
        return f;
    }
}
