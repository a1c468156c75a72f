package io.ganstream.bench;

import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.ganstream.schema.RecordCodec;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * A generated table for the pipeline benchmarks: {@code columns} modeled columns, one in eight categorical
 * (4 labels), the rest numbers, all driven by two latent factors so that they are correlated as real columns
 * are; each cell is missing (absent) with probability {@code missing}. Synthesis is off in its schema: the
 * benchmarks measure imputation and training.
 */
final class BenchTable {
    private static final String[] LABELS = {"north", "south", "east", "west"};

    private final int numeric;
    private final int categorical;
    private final double missing;
    private final double[][] loadings;

    BenchTable(int columns, double missing, long seed) {
        this.categorical = Math.max(1, columns / 8);
        this.numeric = columns - categorical;
        this.missing = missing;
        SplittableRandom r = new SplittableRandom(seed);
        this.loadings = new double[columns][3];
        for (double[] l : loadings) {
            l[0] = r.nextDouble(-2, 2);
            l[1] = r.nextDouble(-2, 2);
            l[2] = r.nextDouble(0.1, 0.5);
        }
    }

    int categorical() {
        return categorical;
    }

    int columns() {
        return numeric + categorical;
    }

    /** The JSON Schema text, with the training settings of the benchmark (synthesis off). */
    String schema(int windowRecords, int replayCapacity) {
        StringBuilder s = new StringBuilder("{\"type\": \"object\", \"properties\": {");
        for (int i = 0; i < numeric; i++) {
            s.append(i == 0 ? "" : ", ").append('"').append(name(i)).append("\": {\"type\": \"number\"}");
        }
        for (int i = numeric; i < columns(); i++) {
            s.append(", \"").append(name(i)).append("\": {\"type\": \"string\", \"enum\": [\"north\", \"south\", "
                    + "\"east\", \"west\"]}");
        }
        return s.append("}, \"x-ganstream\": {\"windowRecords\": ").append(windowRecords)
                .append(", \"replayCapacity\": ").append(replayCapacity)
                .append(", \"syntheticPerRecord\": 0, \"seed\": 1}}").toString();
    }

    /** {@code count} distinct records as JSON bytes (the benchmarks cycle through them). */
    List<byte[]> records(int count, long seed) {
        SplittableRandom r = new SplittableRandom(seed);
        List<byte[]> out = new ArrayList<>(count);
        for (int k = 0; k < count; k++) {
            ObjectNode o = JsonNodeFactory.instance.objectNode();
            double z1 = r.nextGaussian();
            double z2 = r.nextGaussian();
            for (int i = 0; i < columns(); i++) {
                double v = loadings[i][0] * z1 + loadings[i][1] * z2 + loadings[i][2] * r.nextGaussian();
                if (r.nextDouble() < missing) {
                    continue;
                }
                if (i < numeric) {
                    o.put(name(i), Math.round(v * 1000) / 1000.0);
                } else {
                    o.put(name(i), LABELS[v < -1 ? 0 : v < 0 ? 1 : v < 1 ? 2 : 3]);
                }
            }
            try {
                out.add(RecordCodec.mapper().writeValueAsBytes(o));
            } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                throw new IllegalStateException(e);
            }
        }
        return out;
    }

    private String name(int i) {
        return (i < numeric ? "x" : "c") + String.format("%02d", i);
    }
}
