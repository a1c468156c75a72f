package io.ganstream.config;

import io.micronaut.context.annotation.ConfigurationProperties;

/**
 * HTTP settings under {@code ganstream.http.*}: the token, and the limits that keep every request a user can
 * send answered with a 4xx naming the limit instead of exhausting memory or failing in Kafka.
 */
@ConfigurationProperties("ganstream.http")
public class HttpConfig {
    /**
     * Bearer token required by the endpoints that change state ({@code PUT /datasets/{name}} and any other
     * non-read request except imputing and sampling); blank = no token (the endpoints are open, for a trusted
     * network). Set with {@code GANSTREAM_HTTP_TOKEN}.
     */
    private String token = "";
    /**
     * Largest request body, in bytes; larger ones are refused with 413 before they are read. It is what
     * {@code micronaut.server.max-request-size} is set to (see {@code application.yml}), and large enough for a
     * model file ({@code PUT /datasets/{name}/model}; a checkpoint record is at most 16 MiB).
     */
    private long maxRequestBytes = 16L * 1024 * 1024;
    /**
     * Largest schema ({@code PUT /datasets/{name}}), in UTF-8 bytes: it is one record of {@code ganstream.schemas},
     * whose records Kafka caps at about 1 MB by default ({@code message.max.bytes}).
     */
    private int maxSchemaBytes = 1_000_000;
    /** Most records {@code POST /datasets/{name}/samples} returns per request. */
    private int maxSamples = 100_000;
    /** Most values (records × modeled values per record) one samples request may generate. */
    private long maxSampleValues = 5_000_000;
    /** Most images in one {@code GET /datasets/{name}/samples.png}. */
    private int maxImages = 1024;
    /** Most records in one {@code POST /datasets/{name}/impute}. */
    private int maxImputeRecords = 10_000;

    public String getToken() {
        return token;
    }

    public void setToken(String token) {
        this.token = token == null ? "" : token.strip();
    }

    public boolean tokenRequired() {
        return !token.isEmpty();
    }

    public long getMaxRequestBytes() {
        return maxRequestBytes;
    }

    public void setMaxRequestBytes(long maxRequestBytes) {
        this.maxRequestBytes = positive("max-request-bytes", maxRequestBytes);
    }

    public int getMaxSchemaBytes() {
        return maxSchemaBytes;
    }

    public void setMaxSchemaBytes(int maxSchemaBytes) {
        this.maxSchemaBytes = (int) positive("max-schema-bytes", maxSchemaBytes);
    }

    public int getMaxSamples() {
        return maxSamples;
    }

    public void setMaxSamples(int maxSamples) {
        this.maxSamples = (int) positive("max-samples", maxSamples);
    }

    public long getMaxSampleValues() {
        return maxSampleValues;
    }

    public void setMaxSampleValues(long maxSampleValues) {
        this.maxSampleValues = positive("max-sample-values", maxSampleValues);
    }

    public int getMaxImages() {
        return maxImages;
    }

    public void setMaxImages(int maxImages) {
        this.maxImages = (int) positive("max-images", maxImages);
    }

    public int getMaxImputeRecords() {
        return maxImputeRecords;
    }

    public void setMaxImputeRecords(int maxImputeRecords) {
        this.maxImputeRecords = (int) positive("max-impute-records", maxImputeRecords);
    }

    private static long positive(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException("ganstream.http." + name + " must be at least 1, not " + value);
        }
        return value;
    }
}
