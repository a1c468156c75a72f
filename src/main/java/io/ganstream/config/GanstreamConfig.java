package io.ganstream.config;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.nio.file.Path;

/** Service settings under {@code ganstream.*} in {@code application.yml}. */
@ConfigurationProperties("ganstream")
public class GanstreamConfig {
    /** Everything kept on local disk: embedded broker logs, Kafka Streams state. */
    private String dataDir = "./ganstream-data";
    /** Raw records larger than this are dead-lettered. */
    private int maxRecordBytes = 1024 * 1024;
    /** Directory of {@code <name>.schema.json} files registered at start (if the dataset has no schema yet). */
    private String schemasDir = "schemas/datasets";
    /** Regex of the dataset names this deployment serves (their {@code D.raw} topics); all by default. */
    private String datasets = io.ganstream.stream.Topics.ALL_DATASETS;

    /**
     * Benchmark baseline only ({@code bench throughput}): imputation is replaced by identity, everything else
     * (parsing, validation, routing, exactly-once) stays, so the two runs show what imputation costs.
     */
    private boolean passthroughImputation;

    public boolean isPassthroughImputation() {
        return passthroughImputation;
    }

    public void setPassthroughImputation(boolean passthroughImputation) {
        this.passthroughImputation = passthroughImputation;
    }

    public String getDataDir() {
        return dataDir;
    }

    public void setDataDir(String dataDir) {
        this.dataDir = dataDir;
    }

    public Path dataPath() {
        return Path.of(dataDir);
    }

    public int getMaxRecordBytes() {
        return maxRecordBytes;
    }

    public void setMaxRecordBytes(int maxRecordBytes) {
        this.maxRecordBytes = maxRecordBytes;
    }

    public String getDatasets() {
        return datasets;
    }

    public void setDatasets(String datasets) {
        this.datasets = datasets;
    }

    public String getSchemasDir() {
        return schemasDir;
    }

    public void setSchemasDir(String schemasDir) {
        this.schemasDir = schemasDir;
    }
}
