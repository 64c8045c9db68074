package io.hemolink.common.security;

import io.hemolink.common.problem.ApiException;
import io.hemolink.contracts.security.Roles;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.jwt.JsonWebToken;

import java.security.Principal;
import java.util.Set;

/**
 * Who is calling, read from the verified token and never from the request: the subject, the roles and the
 * {@code location_id} claim. Every object-level check goes through {@link #requireAccessTo(String, String)}, which
 * answers 404 for another tenant's object so its existence is not revealed.
 */
@RequestScoped
public class Caller {

    public static final String LOCATION_CLAIM = "location_id";

    @Inject
    SecurityIdentity identity;

    public boolean isAnonymous() {
        return identity.isAnonymous();
    }

    /** The token's subject (user or service account), for audit and history; never personal data. */
    public String actor() {
        if (identity.isAnonymous()) {
            return "anonymous";
        }
        Principal p = identity.getPrincipal();
        if (p instanceof JsonWebToken jwt) {
            String user = jwt.getClaim("preferred_username");
            if (user != null) {
                return user;
            }
            return jwt.getSubject() == null ? jwt.getName() : jwt.getSubject();
        }
        return p.getName();
    }

    /** The caller's location: STATION, a hospital (H001) or a storage point (SP01); null when the token has none. */
    public String locationId() {
        if (identity.isAnonymous()) {
            return null;
        }
        Principal p = identity.getPrincipal();
        if (p instanceof JsonWebToken jwt) {
            Object claim = jwt.getClaim(LOCATION_CLAIM);
            return claim == null ? null : claim.toString().replace("\"", "");
        }
        Object attribute = identity.getAttribute(LOCATION_CLAIM);
        return attribute == null ? null : attribute.toString();
    }

    public Set<String> roles() {
        return identity.getRoles();
    }

    public boolean hasRole(String role) {
        return identity.hasRole(role);
    }

    /** True for the station's own roles, which see and act on every location. */
    public boolean isStation() {
        return Roles.STATION_ROLES.stream().anyMatch(identity::hasRole);
    }

    /** True when the caller may see or act on objects of {@code locationId}. */
    public boolean canAccess(String locationId) {
        if (isStation()) {
            return true;
        }
        String own = locationId();
        return own != null && own.equals(locationId);
    }

    /**
     * Passes when the caller may act on an object held by {@code locationId}; otherwise 404 for {@code what}, exactly
     * as if it did not exist.
     */
    public void requireAccessTo(String locationId, String what) {
        if (!canAccess(locationId)) {
            throw ApiException.notFound(what);
        }
    }

    /**
     * The location a list is filtered by when the caller names {@code requested} in a query parameter (ADR 0020): the
     * station lists what it asks for (null: every location); anyone else lists its own location, and naming another
     * is 403 {@code LOCATION_NOT_YOURS}, as in a body, whether or not that location exists.
     */
    public String locationFilter(String requested) {
        String location = requested == null || requested.isBlank() ? null : requested;
        if (isStation()) {
            return location;
        }
        String filter = location == null ? locationId() : location;
        requireOwnLocation(filter);
        return filter;
    }

    /**
     * For requests that name a location in their body (an order for H001): a non-station caller may only name its
     * own location. Answers 403, since the caller named it and nothing is revealed.
     */
    public void requireOwnLocation(String locationId) {
        if (!canAccess(locationId)) {
            throw new ApiException(403, "LOCATION_NOT_YOURS", "Forbidden",
                    "you may only act for your own location " + locationId());
        }
    }
}
