package io.hemolink.notification;

import io.hemolink.common.testing.ServiceBasicsTest;
import io.hemolink.infra.InfraTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;

/** The notification service on real PostgreSQL (database {@code notification}) and Kafka. */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "notification"))
class NotificationServiceTest extends ServiceBasicsTest {

    @Override
    protected String serviceName() {
        return "notification";
    }

    @Test
    void deliveryMetricsAreServed() {
        given().get("/q/metrics").then().statusCode(200)
                .body(containsString("hemolink_notification_deliveries_total{outcome=\"delivered\"}"))
                .body(containsString("hemolink_notification_deliveries_total{outcome=\"given_up\"}"))
                .body(containsString("hemolink_notification_pending_oldest_age_seconds"));
    }
}
