package io.ganstream.api;

import io.swagger.v3.oas.annotations.media.Schema;

/** Every error the service answers (for the OpenAPI spec; {@link JsonErrorResponseProcessor} writes it). */
@Schema(name = "Error", description = "an error: the status says its kind, the message its reason")
public record ErrorBody(@Schema(description = "a readable reason, naming the limit or column at fault") String error) {
}
