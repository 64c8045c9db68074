package io.hemolink.fhir;

import io.hemolink.common.api.Lists;
import io.hemolink.common.problem.ApiException;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.UriInfo;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * The search conventions every facade resource shares: token and reference parameters, {@code _count} (api.md's list
 * limit: default 50, at most 500) and {@code _cursor} (api.md's opaque cursor) for the next page, and a refusal of
 * parameters a search does not know (400 {@code SEARCH_PARAMETER_UNKNOWN}: ignoring one would answer a wider search
 * than the one asked, which for a HIS reconciling its stock is worse than an error).
 */
public final class FhirSearch {

    /** Paging, and what the HAPI client or a browser may add that changes nothing here. */
    private static final Set<String> ALWAYS = Set.of("_count", "_cursor", "_format", "_pretty");

    /** One token value: {@code system|code}, {@code |code} (no system), or {@code code} (any system). */
    public record Token(String system, String code) {

        /** True when the token names no system, or {@code system}. */
        public boolean inSystem(String wanted) {
            return system == null || system.equals(wanted);
        }
    }

    private final UriInfo uri;
    private final MultivaluedMap<String, String> params;

    private FhirSearch(UriInfo uri, Set<String> known) {
        this.uri = uri;
        this.params = uri.getQueryParameters();
        for (String name : params.keySet()) {
            if (!known.contains(name) && !ALWAYS.contains(name)) {
                throw ApiException.badRequest("SEARCH_PARAMETER_UNKNOWN",
                        "this search does not know the parameter " + name + "; it knows " + known);
            }
        }
    }

    /** The search of the request, refusing parameters not in {@code known}. */
    public static FhirSearch of(UriInfo uri, Set<String> known) {
        return new FhirSearch(uri, known);
    }

    /** The token values of the first of {@code names} given (comma-separated values are alternatives); empty: none. */
    public List<Token> tokens(String... names) {
        List<Token> tokens = new ArrayList<>();
        for (String name : names) {
            for (String value : values(name)) {
                for (String one : value.split(",", -1)) {
                    tokens.add(token(name, one));
                }
            }
        }
        return tokens;
    }

    /** The ids a reference parameter names, as {@code Type/id} for one of {@code types}, or a bare id. */
    public List<String> references(String name, String... types) {
        List<String> ids = new ArrayList<>();
        for (String value : values(name)) {
            for (String one : value.split(",", -1)) {
                String id = one;
                for (String type : types) {
                    if (one.startsWith(type + "/")) {
                        id = one.substring(type.length() + 1);
                    }
                }
                if (id.isBlank() || id.contains("/")) {
                    throw ApiException.badRequest("SEARCH_PARAMETER_INVALID", name + " must name a "
                            + String.join(" or ", types) + " (" + types[0] + "/<id>), not '" + one + "'");
                }
                ids.add(id);
            }
        }
        return ids;
    }

    /** {@code _count}: 1-500, default 50. */
    public int count() {
        List<String> counts = values("_count");
        if (counts.isEmpty()) {
            return Lists.DEFAULT_LIMIT;
        }
        try {
            int n = Integer.parseInt(counts.get(0));
            if (n >= 1 && n <= Lists.MAX_LIMIT) {
                return n;
            }
        } catch (NumberFormatException e) {
            // below
        }
        throw ApiException.badRequest("SEARCH_PARAMETER_INVALID", "_count must be between 1 and " + Lists.MAX_LIMIT);
    }

    /** The position of {@code _cursor} (null on the first page); 400 CURSOR_INVALID when not one of ours. */
    public String position() {
        List<String> cursors = values("_cursor");
        return cursors.isEmpty() ? null : Lists.position(cursors.get(0));
    }

    /**
     * The position of {@code _cursor} as the row id a page starts after (0 on the first page), for searches paged by a
     * table's id; 400 CURSOR_INVALID when it is not one of ours.
     */
    public long afterId() {
        String position = position();
        if (position == null) {
            return 0;
        }
        try {
            return Long.parseLong(position);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("CURSOR_INVALID", "the cursor is not one this service handed out");
        }
    }

    /**
     * The answer to this search: a searchset Bundle of {@code matches} (this page) and, when there is one, a link to
     * the next page from {@code nextPosition} on.
     */
    public jakarta.ws.rs.core.Response answer(List<? extends org.hl7.fhir.r5.model.Resource> matches, String nextPosition) {
        return jakarta.ws.rs.core.Response.ok(Fhir.json(SearchBundles.searchset(base(), self(), matches,
                next(nextPosition))), Fhir.MEDIA_TYPE).build();
    }

    /**
     * The location a tenant's search is confined to: null for the station (every location), else the caller's own; a
     * token naming no location gets one that matches nothing.
     */
    public static String tenancy(io.hemolink.common.security.Caller caller) {
        if (caller.isStation()) {
            return null;
        }
        String own = caller.locationId();
        return own == null ? "" : own;
    }

    /** The facade's absolute base ({@code http://host:port/fhir/r5}). */
    public String base() {
        return base(uri);
    }

    public static String base(UriInfo uri) {
        return facade(uri.getRequestUri(), "/fhir/r5");
    }

    /** This search as asked. */
    public String self() {
        return facade(uri.getRequestUri(), null);
    }

    /** This search again from {@code position} on. */
    public String next(String position) {
        return position == null ? null
                : facade(uri.getRequestUriBuilder().replaceQueryParam("_cursor", Lists.cursor(position)).build(), null);
    }

    /**
     * The public form of a request URI: its origin and the path from {@code /fhir/r5} on (the service's resources sit
     * under its REST root, {@link FhirRoutes}), with the query; or only {@code path} after the origin.
     */
    static String facade(java.net.URI u, String path) {
        String origin = u.getScheme() + "://" + u.getRawAuthority();
        if (path != null) {
            return origin + path;
        }
        String p = u.getRawPath();
        int at = p.indexOf("/fhir/r5");
        return origin + (at < 0 ? p : p.substring(at)) + (u.getRawQuery() == null ? "" : "?" + u.getRawQuery());
    }

    private List<String> values(String name) {
        List<String> v = params.get(name);
        return v == null ? List.of() : v;
    }

    private static Token token(String name, String value) {
        int bar = value.indexOf('|');
        String system = bar < 0 ? null : value.substring(0, bar);
        String code = bar < 0 ? value : value.substring(bar + 1);
        if (code.isBlank()) {
            throw ApiException.badRequest("SEARCH_PARAMETER_INVALID", name + " needs a code");
        }
        return new Token(system == null || system.isEmpty() ? null : system, code);
    }
}
