package io.ganstream.api;

import io.ganstream.config.HttpConfig;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * When a token is configured ({@code ganstream.http.token}), requests that change state need
 * {@code Authorization: Bearer <token>}; others are answered 401 {@code {"error": ...}}. Reads (GET, HEAD,
 * OPTIONS) and the two computing endpoints that change nothing ({@code POST /datasets/{name}/impute} and
 * {@code /samples}) stay open, except the model download ({@code GET /datasets/{name}/model}): an imputer that
 * keeps twins carries received records in it, so it is handed out as the data would be. Everything else is
 * guarded, so an endpoint added later that resets or uploads a model is protected without having to remember
 * this filter.
 */
@ServerFilter(ServerFilter.MATCH_ALL_PATTERN)
public class TokenGuard {
    private static final Logger LOG = LoggerFactory.getLogger(TokenGuard.class);
    private static final Set<HttpMethod> READS = Set.of(HttpMethod.GET, HttpMethod.HEAD, HttpMethod.OPTIONS);
    private static final Pattern COMPUTING = Pattern.compile("/datasets/[^/]+/(impute|samples)/?");
    private static final Pattern MODEL = Pattern.compile("/datasets/[^/]+/model/?");
    private static final String BEARER = "Bearer ";

    /** SHA-256 of the token, or null when none is configured. */
    private final byte[] tokenDigest;

    public TokenGuard(HttpConfig config) {
        this.tokenDigest = config.tokenRequired() ? sha256(config.token()) : null;
        LOG.info(config.tokenRequired() ? "Mutating HTTP endpoints require the configured bearer token"
                : "No HTTP token configured (ganstream.http.token): mutating endpoints are open");
    }

    /** Null lets the request through; otherwise the 401 answer. */
    @RequestFilter
    @Nullable
    public HttpResponse<?> guard(HttpRequest<?> request) {
        if (tokenDigest == null
                || (READS.contains(request.getMethod()) && !MODEL.matcher(request.getPath()).matches())
                || (request.getMethod() == HttpMethod.POST && COMPUTING.matcher(request.getPath()).matches())) {
            return null;
        }
        String header = request.getHeaders().get(HttpHeaders.AUTHORIZATION);
        if (header != null && header.regionMatches(true, 0, BEARER, 0, BEARER.length())
                // Digests of equal length compared in constant time: neither the token's content nor its
                // length leaks through response timing.
                && MessageDigest.isEqual(tokenDigest, sha256(header.substring(BEARER.length()).strip()))) {
            return null;
        }
        return HttpResponse.unauthorized()
                .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"ganstream\"")
                .contentType(MediaType.APPLICATION_JSON_TYPE)
                .body(Map.of("error", header == null
                        ? "this endpoint needs an 'Authorization: Bearer <token>' header"
                        : "invalid token"));
    }

    private static byte[] sha256(String text) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }
}
