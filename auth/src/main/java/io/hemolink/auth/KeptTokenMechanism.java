package io.hemolink.auth;

import io.quarkus.security.identity.IdentityProviderManager;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.AuthenticationRequest;
import io.quarkus.vertx.http.runtime.security.ChallengeData;
import io.quarkus.vertx.http.runtime.security.HttpAuthenticationMechanism;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.Set;

/**
 * Asked before quarkus-oidc's bearer mechanism: a bearer token kept in {@link VerifiedTokens} (verified before, not
 * expired since) is answered with the identity kept for it, without verifying it again; any other request gets no
 * identity here, so the next mechanism, quarkus-oidc's, verifies its token as before (JWK refresh, 401, 503
 * AUTH_UNAVAILABLE unchanged). It never challenges: a refusal is quarkus-oidc's.
 */
@ApplicationScoped
public class KeptTokenMechanism implements HttpAuthenticationMechanism {

    @Inject
    VerifiedTokens tokens;

    @Override
    public Uni<SecurityIdentity> authenticate(RoutingContext context, IdentityProviderManager identityProviderManager) {
        SecurityIdentity kept = tokens.get(BearerTokens.of(context));
        return kept == null ? Uni.createFrom().nullItem() : Uni.createFrom().item(kept);
    }

    @Override
    public Uni<ChallengeData> getChallenge(RoutingContext context) {
        return Uni.createFrom().nullItem();
    }

    @Override
    public Set<Class<? extends AuthenticationRequest>> getCredentialTypes() {
        return Set.of(); // answers from the cache, asks no identity provider
    }

    @Override
    public int getPriority() {
        return DEFAULT_PRIORITY + 1000; // before quarkus-oidc's
    }
}
