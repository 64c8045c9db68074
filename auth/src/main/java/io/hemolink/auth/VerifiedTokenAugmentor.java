package io.hemolink.auth;

import io.quarkus.security.credential.TokenCredential;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.SecurityIdentityAugmentor;
import io.smallrye.mutiny.Uni;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * Runs after a bearer token was verified (and after every other augmentor): keeps the identity in
 * {@link VerifiedTokens} until the token's expiry. An identity that came from the cache is already there.
 */
@ApplicationScoped
public class VerifiedTokenAugmentor implements SecurityIdentityAugmentor {

    @Inject
    VerifiedTokens tokens;

    @Override
    public int priority() {
        return Integer.MIN_VALUE; // last: what is kept is the identity as every augmentor left it
    }

    @Override
    public Uni<SecurityIdentity> augment(SecurityIdentity identity, AuthenticationRequestContext context) {
        if (!identity.isAnonymous() && identity.getPrincipal() instanceof JsonWebToken jwt) {
            // the bearer token exactly as the request carried it (the key the provider looks up)
            TokenCredential credential = identity.getCredential(TokenCredential.class);
            String token = credential != null ? credential.getToken() : jwt.getRawToken();
            tokens.put(token, identity, jwt.getExpirationTime());
        }
        return Uni.createFrom().item(identity);
    }
}
