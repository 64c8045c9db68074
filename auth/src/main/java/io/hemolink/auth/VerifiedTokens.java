package io.hemolink.auth;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Iterator;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Bearer tokens this process has verified (signature, issuer, expiry, by quarkus-oidc) and the identity each one
 * made, so that the same token seen again is not verified again: kept until the token's {@code exp} (never beyond),
 * or {@code hemolink.token-cache.max-ttl} after its verification if that comes first, at most {@code max-size}
 * tokens. quarkus-oidc caches only what introspection and UserInfo return (opaque tokens), not the verification of a
 * JWT, hence this small cache in front of it ({@link KeptTokenMechanism} answers from it before quarkus-oidc's
 * mechanism is asked; {@link VerifiedTokenAugmentor} fills it). The gateway and every service keep their own (ADR
 * 0040).
 * <p>
 * What is kept: the principal (the token's claims), roles, credentials and the attributes other than the request's
 * routing context. Key rotation is unaffected: a token signed with a new key is not in
 * the cache and goes to quarkus-oidc (JWK refresh, 503 AUTH_UNAVAILABLE while the provider is down) as before; a
 * token already verified stays accepted until its own expiry, exactly as verifying it again with the key held would.
 * Counters: {@code hemolink_token_verifications_total} (tokens verified by quarkus-oidc and kept) and
 * {@code hemolink_token_cache_hits_total}.
 */
@ApplicationScoped
public class VerifiedTokens {

    private record Entry(SecurityIdentity identity, long expiresAtMillis) {
    }

    private final Map<String, Entry> entries = new ConcurrentHashMap<>();
    private Counter hits;
    private Counter verifications;

    @Inject
    TokenCacheConfig config;

    @Inject
    MeterRegistry registry;

    @jakarta.annotation.PostConstruct
    void init() {
        hits = Counter.builder("hemolink.token.cache.hits")
                .description("bearer tokens accepted from the cache of verified tokens").register(registry);
        verifications = Counter.builder("hemolink.token.verifications")
                .description("bearer tokens verified by quarkus-oidc and kept in the cache").register(registry);
    }

    /** The identity of {@code token} if it was verified and has not expired since; null otherwise. */
    public SecurityIdentity get(String token) {
        if (!config.enabled() || token == null) {
            return null;
        }
        Entry e = entries.get(token);
        if (e == null) {
            return null;
        }
        if (System.currentTimeMillis() >= e.expiresAtMillis()) {
            entries.remove(token, e); // expired: quarkus-oidc sees it again and refuses it
            return null;
        }
        hits.increment();
        return e.identity();
    }

    /**
     * Keeps the identity quarkus-oidc made of {@code token}, which expires at {@code expiresAtSeconds} (the
     * {@code exp} claim, epoch seconds); a token without expiry is not kept.
     */
    public void put(String token, SecurityIdentity identity, long expiresAtSeconds) {
        if (!config.enabled() || token == null || expiresAtSeconds <= 0 || entries.containsKey(token)) {
            return;
        }
        long now = System.currentTimeMillis();
        long until = Math.min(expiresAtSeconds * 1000, now + config.maxTtl().toMillis());
        if (until <= now) {
            return;
        }
        if (entries.size() >= config.maxSize()) {
            makeRoom(now);
        }
        if (entries.size() < config.maxSize()) {
            entries.put(token, new Entry(kept(identity), until));
        }
        verifications.increment();
    }

    public double hits() {
        return hits.count();
    }

    public double verifications() {
        return verifications.count();
    }

    public int size() {
        return entries.size();
    }

    /** Drops the expired entries, and if that is not enough a tenth of the others (whichever come first). */
    private void makeRoom(long now) {
        entries.values().removeIf(e -> now >= e.expiresAtMillis());
        int excess = entries.size() - config.maxSize() * 9 / 10;
        for (Iterator<String> it = entries.keySet().iterator(); excess > 0 && it.hasNext(); excess--) {
            it.next();
            it.remove();
        }
    }

    private static SecurityIdentity kept(SecurityIdentity identity) {
        QuarkusSecurityIdentity.Builder b = QuarkusSecurityIdentity.builder()
                .setPrincipal(identity.getPrincipal())
                .addRoles(identity.getRoles())
                .addCredentials(identity.getCredentials())
                .setAnonymous(false);
        identity.getAttributes().forEach((k, v) -> {
            if (!(v instanceof RoutingContext) && !RoutingContext.class.getName().equals(k)) {
                b.addAttribute(k, v);
            }
        });
        return b.build();
    }
}
