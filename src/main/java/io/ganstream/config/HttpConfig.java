package io.ganstream.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

/**
 * HTTP settings under {@code ganstream.http.*}: the token, and the limits that keep every request a user can
 * send answered with a 4xx naming the limit instead of exhausting memory or failing in Kafka. Every limit is at
 * least 1 (a setting below that stops the service at start-up, naming it).
 *
 * @param token bearer token required by the endpoints that change state ({@code PUT /datasets/{name}} and any
 *     other non-read request except imputing and sampling); blank = no token (the endpoints are open, for a
 *     trusted network). Set with {@code GANSTREAM_HTTP_TOKEN}.
 * @param maxRequestBytes largest request body, in bytes; larger ones are refused with 413 before they are read.
 *     It is what {@code micronaut.server.max-request-size} is set to (see {@code application.yml}), and large
 *     enough for a model file ({@code PUT /datasets/{name}/model}; a checkpoint record is at most 16 MiB).
 * @param maxSchemaBytes largest schema ({@code PUT /datasets/{name}}), in UTF-8 bytes: it is one record of
 *     {@code ganstream.schemas}, whose records Kafka caps at about 1 MB by default ({@code message.max.bytes}).
 * @param maxSamples most records {@code POST /datasets/{name}/samples} returns per request
 * @param maxSampleValues most values (records × modeled values per record) one samples request may generate
 * @param maxImages most images in one {@code GET /datasets/{name}/samples.png}
 * @param maxImputeRecords most records in one {@code POST /datasets/{name}/impute}
 */
@ConfigurationProperties("ganstream.http")
public record HttpConfig(
        @Bindable(defaultValue = "") String token,
        @Bindable(defaultValue = "16777216") long maxRequestBytes,
        @Bindable(defaultValue = "1000000") int maxSchemaBytes,
        @Bindable(defaultValue = "100000") int maxSamples,
        @Bindable(defaultValue = "5000000") long maxSampleValues,
        @Bindable(defaultValue = "1024") int maxImages,
        @Bindable(defaultValue = "10000") int maxImputeRecords) {

    /** Strips the token (blank: none) and checks every limit. */
    public HttpConfig {
        token = token == null ? "" : token.strip();
        positive("max-request-bytes", maxRequestBytes);
        positive("max-schema-bytes", maxSchemaBytes);
        positive("max-samples", maxSamples);
        positive("max-sample-values", maxSampleValues);
        positive("max-images", maxImages);
        positive("max-impute-records", maxImputeRecords);
    }

    /** Whether the mutating endpoints need the token. */
    public boolean tokenRequired() {
        return !token.isEmpty();
    }

    private static void positive(String name, long value) {
        if (value < 1) {
            throw new IllegalArgumentException("ganstream.http." + name + " must be at least 1, not " + value);
        }
    }
}
