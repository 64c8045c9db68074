package io.hemolink.gateway;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;

import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;

/**
 * Whether the identity provider answers at all (any HTTP status counts; a refused or timed-out connection does not).
 * Asked only when a token was refused and its key is one the gateway has never verified a token with: such a token
 * may be valid and signed with a key the gateway can only fetch from the identity provider, so while that is down the
 * caller gets a retryable 503, not a 401 that would send it for a new token it cannot get. The answer is kept for a
 * couple of seconds, so a burst of such tokens costs one probe.
 */
final class IdentityProviderProbe {

    private static final long KEEP_NANOS = TimeUnit.SECONDS.toNanos(2);

    private final HttpClient client;
    private final String url;
    private final LongSupplier clock;
    private volatile long checkedAt;
    private volatile boolean reachable = true;
    private volatile boolean checked;

    IdentityProviderProbe(Vertx vertx, String url, LongSupplier clock) {
        this.client = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(1000).setIdleTimeout(2)
                .setIdleTimeoutUnit(TimeUnit.SECONDS));
        this.url = url;
        this.clock = clock;
    }

    Future<Boolean> reachable() {
        long now = clock.getAsLong();
        if (checked && now - checkedAt < KEEP_NANOS) {
            return Future.succeededFuture(reachable);
        }
        return client.request(new RequestOptions().setMethod(HttpMethod.GET).setAbsoluteURI(url).setIdleTimeout(2000))
                .compose(request -> request.send())
                .compose(response -> response.body().map(ignored -> true))
                .otherwise(false)
                .onSuccess(answer -> {
                    reachable = answer;
                    checkedAt = now;
                    checked = true;
                });
    }
}
