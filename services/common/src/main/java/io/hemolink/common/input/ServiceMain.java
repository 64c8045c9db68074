package io.hemolink.common.input;

import io.quarkus.runtime.Quarkus;
import io.quarkus.runtime.annotations.QuarkusMain;

/**
 * Every service's entry point: Quarkus as usual, but with Vert.x's own URI check off, which answers a URL that
 * {@code java.net.URI} cannot parse ({@code ?locationId=%zz}) with a bare 400 before any of our code runs;
 * {@link RequestGuard} checks the same and answers problem+json (ADR 0021). Tests set the same property in surefire.
 */
@QuarkusMain
public final class ServiceMain {

    /** Read by Quarkus' HTTP layer when it starts. */
    public static final String URI_VALIDATION_OFF = "vertx.disableURIValidation";

    private ServiceMain() {
    }

    public static void main(String... args) {
        System.setProperty(URI_VALIDATION_OFF, "true");
        Quarkus.run(args);
    }
}
