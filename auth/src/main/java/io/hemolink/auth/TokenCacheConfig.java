package io.hemolink.auth;

import io.smallrye.config.ConfigMapping;
import io.smallrye.config.WithDefault;

import java.time.Duration;

/**
 * Verified bearer tokens kept by this process ({@link VerifiedTokens}): a token seen again before its expiry is not
 * verified again. {@code max-ttl} bounds how long one verification is trusted even when the token lives longer.
 */
@ConfigMapping(prefix = "hemolink.token-cache")
public interface TokenCacheConfig {

    @WithDefault("true")
    boolean enabled();

    @WithDefault("10000")
    int maxSize();

    @WithDefault("PT5M")
    Duration maxTtl();
}
