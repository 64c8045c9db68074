package io.hemolink.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * HTTP to the platform as a client does: tokens from the real Keycloak (the demo realm's users and HIS clients,
 * fetched again before they expire), JSON bodies, plain java.net.http.
 */
final class Api {

    static final ObjectMapper JSON = new ObjectMapper();
    static final String GATEWAY = "http://localhost:8080/api/v1";
    static final String INVENTORY = "http://localhost:8081/api/v1";
    static final String ORDER = "http://localhost:8082/api/v1";
    static final String FEE_WAIVER = "http://localhost:8084/api/v1";
    static final String TOKEN_URL = "http://localhost:8180/realms/hemolink/protocol/openid-connect/token";

    /** The callers: users log in with password = login, HIS clients with their secret. */
    static final Map<String, String> HIS_SECRETS = Map.of("his-h001", "his-h001-secret", "his-h002", "his-h002-secret");

    final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).build();

    private record Token(String value, long fetchedAt) {
    }

    private final Map<String, Token> tokens = new ConcurrentHashMap<>();

    /** A valid access token of {@code caller} (a demo login or a HIS client id). */
    String token(String caller) {
        Token t = tokens.get(caller);
        // the realm's tokens live 300 s: a new one after 200 s
        if (t == null || System.nanoTime() - t.fetchedAt() > Duration.ofSeconds(200).toNanos()) {
            t = new Token(fetch(caller), System.nanoTime());
            tokens.put(caller, t);
        }
        return t.value();
    }

    private String fetch(String caller) {
        String secret = HIS_SECRETS.get(caller);
        String form = secret != null
                ? "grant_type=client_credentials&client_id=" + enc(caller) + "&client_secret=" + enc(secret)
                : "grant_type=password&client_id=hemolink-cli&username=" + enc(caller) + "&password=" + enc(caller);
        try {
            HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(TOKEN_URL))
                    .header("Content-Type", "application/x-www-form-urlencoded")
                    .POST(HttpRequest.BodyPublishers.ofString(form)).build(), HttpResponse.BodyHandlers.ofString());
            if (r.statusCode() != 200) {
                throw new IllegalStateException("no token for " + caller + ": " + r.statusCode() + " " + r.body());
            }
            return JSON.readTree(r.body()).path("access_token").asText();
        } catch (IOException e) {
            throw new IllegalStateException("Keycloak: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }

    HttpRequest request(String caller, String method, String url, String body) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token(caller));
        if (body == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json; charset=utf-8")
                    .method(method, HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
        }
        return b.build();
    }

    HttpResponse<String> send(String caller, String method, String url, String body) {
        try {
            return http.send(request(caller, method, url, body), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException(method + " " + url + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    CompletableFuture<HttpResponse<String>> sendAsync(String caller, String method, String url, String body) {
        return http.sendAsync(request(caller, method, url, body), HttpResponse.BodyHandlers.ofString());
    }

    /** The body of a 2xx answer as JSON; anything else fails the run with what the platform said. */
    JsonNode ok(HttpResponse<String> r) {
        if (r.statusCode() / 100 != 2) {
            throw new IllegalStateException(r.request().method() + " " + r.request().uri() + " answered "
                    + r.statusCode() + ": " + r.body());
        }
        try {
            return r.body().isEmpty() ? JSON.nullNode() : JSON.readTree(r.body());
        } catch (IOException e) {
            throw new IllegalStateException("not JSON: " + r.body(), e);
        }
    }
}
