package io.ganstream.service;

import io.ganstream.engine.synth.SynthModel;
import io.ganstream.metrics.GanstreamMetrics;
import io.ganstream.schema.DatasetSchema;
import java.util.Map;

/**
 * Synthetic rows as the service hands them out (D.synthetic, {@code POST /datasets/{name}/samples},
 * {@code GET /datasets/{name}/samples.png}): through the model's privacy filter when the dataset's settings turn it
 * on ({@code x-ganstream.privacyFilter}, at {@code privacyQuantile}), withheld rows counted in
 * {@code ganstream_privacy_filtered_total}.
 */
public final class PrivateSamples {
    private PrivateSamples() {
    }

    /** Up to {@code n} rows (fewer when the filter withheld too many: see {@link SynthModel#sampleFiltered}). */
    public static SynthModel.Filtered sample(DatasetSchema schema, GanstreamMetrics metrics, SynthModel model, int n,
                                             Map<Integer, Integer> conditions, long seed) {
        if (!schema.settings().privacyFilter()) {
            return new SynthModel.Filtered(model.sample(n, conditions, seed), 0, 0);
        }
        SynthModel.Filtered f = model.sampleFiltered(n, conditions, seed, schema.settings().privacyQuantile());
        if (f.refused() > 0) {
            metrics.privacyFiltered(schema.name()).increment(f.refused());
        }
        return f;
    }
}
