package io.ganstream.api;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

import java.util.Map;

/** Every error the service answers is {@code {"error": "..."}}; never a stack trace. */
@Singleton
@Replaces(ErrorResponseProcessor.class)
public class JsonErrorResponseProcessor implements ErrorResponseProcessor<Map<String, String>> {

    @Override
    public MutableHttpResponse<Map<String, String>> processResponse(ErrorContext context,
                                                                      MutableHttpResponse<?> response) {
        String message = context.getErrors().isEmpty()
                ? response.getStatus().getReason()
                : context.getErrors().get(0).getMessage();
        if (response.getStatus().getCode() >= 500 && context.getRootCause().isPresent()
                && !(context.getRootCause().get() instanceof io.ganstream.service.DatasetRegistry.NotReadyException)) {
            // Internal details stay in the log; the client gets the status and a plain reason.
            message = response.getStatus().getReason();
        }
        return response.body(Map.of("error", message == null ? response.getStatus().getReason() : message))
                .contentType(MediaType.APPLICATION_JSON_TYPE);
    }
}
