package io.ganstream.stream;

import java.util.List;
import java.util.regex.Pattern;

/**
 * Every topic name ganstream reads or writes, in one place. Per-dataset topics are derived from the dataset
 * name: {@code D.raw}, {@code D.imputed}, {@code D.synthetic}, {@code D.dlq}.
 */
public final class Topics {
    /** Compacted: key = dataset name, value = its JSON Schema. */
    public static final String SCHEMAS = "ganstream.schemas";
    /** Compacted: key = dataset name, value = its latest model checkpoint. */
    public static final String MODELS = "ganstream.models";
    /** Every valid dataset name. */
    public static final String ALL_DATASETS = "[a-z0-9][a-z0-9_-]{0,62}";
    /** Raw topics of every dataset, including those registered after start. */
    public static final Pattern RAW = rawTopicsOf(ALL_DATASETS);

    private static final String RAW_SUFFIX = ".raw";

    private Topics() {
    }

    /** The raw topics of the datasets whose names match {@code datasetRegex}. */
    public static Pattern rawTopicsOf(String datasetRegex) {
        return Pattern.compile("(?:" + datasetRegex + ")\\.raw");
    }

    public static String raw(String dataset) {
        return dataset + RAW_SUFFIX;
    }

    public static String imputed(String dataset) {
        return dataset + ".imputed";
    }

    public static String synthetic(String dataset) {
        return dataset + ".synthetic";
    }

    public static String dlq(String dataset) {
        return dataset + ".dlq";
    }

    /** All topics of one dataset, raw first. */
    public static List<String> ofDataset(String dataset) {
        return List.of(raw(dataset), imputed(dataset), synthetic(dataset), dlq(dataset));
    }

    /** The dataset a raw topic belongs to. */
    public static String datasetOfRaw(String rawTopic) {
        if (!rawTopic.endsWith(RAW_SUFFIX)) {
            throw new IllegalArgumentException("not a raw topic: " + rawTopic);
        }
        return rawTopic.substring(0, rawTopic.length() - RAW_SUFFIX.length());
    }
}
