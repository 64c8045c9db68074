package io.hemolink.gateway;

import io.smallrye.config.ConfigMapping;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * {@code hemolink.gateway.*}: which service owns which top-level path under {@code /api/v1}. For example
 * {@code hemolink.gateway.routes.inventory.url=http://localhost:8081} and
 * {@code hemolink.gateway.routes.inventory.paths=units,stock,alerts}.
 */
@ConfigMapping(prefix = "hemolink.gateway")
public interface GatewayConfig {

    Map<String, Route> routes();

    interface Route {
        /** The service's base URL (scheme, host, port). */
        URI url();

        /** The first path segments under /api/v1 that the service owns. */
        List<String> paths();
    }
}
