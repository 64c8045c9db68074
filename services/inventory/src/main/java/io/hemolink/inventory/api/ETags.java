package io.hemolink.inventory.api;

import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Response;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Entity tags of the stock reads: a weak tag (the content without its {@code asOf}, which moves with every answer)
 * taken as the first 16 bytes of SHA-256, and the weak comparison of {@code If-None-Match} (RFC 9110 13.1.2) that
 * turns a current tag into 304 Not Modified with no body.
 */
final class ETags {

    /** Tells a poller to ask again each time (with its tag) and a shared cache not to keep a caller's view. */
    static final String CACHE_CONTROL = "private, no-cache";

    private ETags() {
    }

    static EntityTag of(byte[] content) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(content);
            return new EntityTag(HexFormat.of().formatHex(digest, 0, 16), true);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is unavailable", e);
        }
    }

    /** True when {@code ifNoneMatch} (the header as sent, may be null) names {@code tag} or is {@code *}. */
    static boolean matches(String ifNoneMatch, EntityTag tag) {
        if (ifNoneMatch == null || ifNoneMatch.isBlank() || ifNoneMatch.length() > 4096) {
            return false;
        }
        for (String part : ifNoneMatch.split(",")) {
            String t = part.strip();
            if (t.equals("*")) {
                return true;
            }
            if (t.startsWith("W/")) {
                t = t.substring(2);
            }
            if (t.length() >= 2 && t.startsWith("\"") && t.endsWith("\"") && t.substring(1, t.length() - 1).equals(tag.getValue())) {
                return true;
            }
        }
        return false;
    }

    /** 304 with the tag, or 200 with the tag and {@code body} (JSON). */
    static Response answer(String ifNoneMatch, EntityTag tag, byte[] body) {
        if (matches(ifNoneMatch, tag)) {
            return Response.notModified(tag).header("Cache-Control", CACHE_CONTROL).build();
        }
        return Response.ok(body, "application/json").tag(tag).header("Cache-Control", CACHE_CONTROL).build();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
