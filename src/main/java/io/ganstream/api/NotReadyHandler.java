package io.ganstream.api;

import io.ganstream.service.DatasetRegistry;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

/** The service is starting or rebalancing: 503, so clients and load balancers retry. */
@Produces
@Singleton
public class NotReadyHandler implements ExceptionHandler<DatasetRegistry.NotReadyException, HttpResponse<?>> {
    private final ErrorResponseProcessor<?> errors;

    public NotReadyHandler(ErrorResponseProcessor<?> errors) {
        this.errors = errors;
    }

    @Override
    public HttpResponse<?> handle(HttpRequest request, DatasetRegistry.NotReadyException exception) {
        return errors.processResponse(ErrorContext.builder(request).cause(exception)
                .errorMessage(exception.getMessage()).build(), HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE));
    }
}
