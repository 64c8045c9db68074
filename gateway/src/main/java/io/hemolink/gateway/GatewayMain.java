package io.hemolink.gateway;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * The gateway's entry point: Quarkus as usual, with Vert.x's own URI check off as in every service (ADR 0021), so a
 * URL with broken percent-encoding ({@code ?locationId=%zz}) is not refused with a bare 400 here but forwarded to the
 * service, whose request guard answers 400 problem+json {@code MALFORMED_QUERY}.
 */
@QuarkusMain
public final class GatewayMain {

    private GatewayMain() {
    }

    public static void main(String... args) {
        System.setProperty("vertx.disableURIValidation", "true");
        Quarkus.run(args);
    }
}
