package io.ganstream.api;

import io.ganstream.config.HttpConfig;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

class TokenGuardTest {

    private static TokenGuard guard(String token) {
        return new TokenGuard(new HttpConfig(token, 1, 1, 1, 1, 1, 1)); // the guard reads only the token
    }

    @Test
    void shouldLetEverythingThroughWithoutAConfiguredToken() {
        TokenGuard open = guard("  ");
        assertNull(open.guard(HttpRequest.PUT("/datasets/cars", "{}")));
        assertNull(open.guard(HttpRequest.DELETE("/datasets/cars")));
    }

    @Test
    void shouldRejectStateChangesWithoutTheRightToken() {
        TokenGuard guard = guard("s3cret");
        HttpResponse<?> missing = guard.guard(HttpRequest.PUT("/datasets/cars", "{}"));
        assertEquals(401, missing.getStatus().getCode());
        assertEquals(Map.of("error", "this endpoint needs an 'Authorization: Bearer <token>' header"), missing.body());
        assertEquals("Bearer realm=\"ganstream\"", missing.getHeaders().get("WWW-Authenticate"));
        assertEquals(401, guard.guard(HttpRequest.PUT("/datasets/cars", "{}").bearerAuth("s3cret2")).getStatus().getCode());
        assertEquals(401, guard.guard(HttpRequest.PUT("/datasets/cars", "{}").bearerAuth("s3cre")).getStatus().getCode());
        assertEquals(401, guard.guard(HttpRequest.PUT("/datasets/cars", "{}").basicAuth("s3cret", "s3cret")).getStatus().getCode());
        // anything else that is not a read is guarded too (a future model reset or upload, management POSTs)
        assertEquals(401, guard.guard(HttpRequest.DELETE("/datasets/cars")).getStatus().getCode());
        assertEquals(401, guard.guard(HttpRequest.POST("/datasets/cars/model", "")).getStatus().getCode());
        assertEquals(401, guard.guard(HttpRequest.POST("/refresh", "")).getStatus().getCode());
        // the model download too: a model that keeps twins carries received records
        assertEquals(401, guard.guard(HttpRequest.GET("/datasets/cars/model")).getStatus().getCode());
        assertEquals(401, guard.guard(HttpRequest.HEAD("/datasets/cars/model/")).getStatus().getCode());
        assertNull(guard.guard(HttpRequest.GET("/datasets/cars/model").bearerAuth("s3cret")));
    }

    @Test
    void shouldAcceptTheTokenAndLeaveReadsAndComputationsOpen() {
        TokenGuard guard = guard("s3cret");
        assertNull(guard.guard(HttpRequest.PUT("/datasets/cars", "{}").bearerAuth("s3cret")));
        assertNull(guard.guard(HttpRequest.PUT("/datasets/cars", "{}").header("Authorization", "bearer s3cret")));
        assertNull(guard.guard(HttpRequest.GET("/datasets/cars")));
        assertNull(guard.guard(HttpRequest.HEAD("/prometheus")));
        assertNull(guard.guard(HttpRequest.POST("/datasets/cars/impute", "{}")));
        assertNull(guard.guard(HttpRequest.POST("/datasets/cars/samples?count=3", "")));
    }
}
