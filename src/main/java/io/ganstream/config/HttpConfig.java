package io.ganstream.config;

import io.micronaut.context.annotation.ConfigurationProperties;

/** HTTP settings under {@code ganstream.http.*}. */
@ConfigurationProperties("ganstream.http")
public class HttpConfig {
    /**
     * Bearer token required by the endpoints that change state ({@code PUT /datasets/{name}} and any other
     * non-read request except imputing and sampling); blank = no token (the endpoints are open, for a trusted
     * network). Set with {@code GANSTREAM_HTTP_TOKEN}.
     */
    private String token = "";

    public String getToken() {
        return token;
    }

    public void setToken(String token) {
        this.token = token == null ? "" : token.strip();
    }

    public boolean tokenRequired() {
        return !token.isEmpty();
    }
}
