package io.ganstream.api;

import io.swagger.v3.oas.annotations.media.Schema;

import java.util.Map;

/** The optional body of {@code POST /datasets/{name}/samples} (for the OpenAPI spec; read as a JSON tree). */
@Schema(description = "categorical conditions every sample meets")
record SampleConditions(
        @Schema(description = "categorical column name to one of its categories", example = "{\"c\": \"red\"}")
        Map<String, String> conditions) {
}
