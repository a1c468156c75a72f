package io.ganstream.api;

import io.micronaut.http.MediaType;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * The error responses that several dataset endpoints document in the same words, as meta-annotations: the
 * OpenAPI processor reads an {@link ApiResponse} on an annotation of a route as if it were on the route, so each
 * wording and its {@link ErrorBody} content is written once. Responses whose wording differs per route stay on
 * the route.
 */
final class ErrorResponses {
    private ErrorResponses() {
    }

    /** 401: the route changes state, and a token is configured ({@code ganstream.http.token}). */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @ApiResponse(responseCode = "401", description = "a token is configured and the request lacks it",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    @interface TokenRequired {
    }

    /** 404: the route's {@code {name}} names no registered dataset. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @ApiResponse(responseCode = "404", description = "no such dataset",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    @interface NoSuchDataset {
    }

    /** 409: the route samples the synthesizer, and none has been trained yet. */
    @Retention(RetentionPolicy.RUNTIME)
    @Target(ElementType.METHOD)
    @ApiResponse(responseCode = "409", description = "no synthesizer model trained yet",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ErrorBody.class)))
    @interface NoSynthesizer {
    }
}
