package io.hemolink.notification;

import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.not;
import static org.hamcrest.Matchers.nullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** POST/GET/DELETE /subscriptions: the secret shown once and kept sealed, tenancy, and every refusal changing nothing. */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "notification"))
class SubscriptionApiTest {

    @Inject
    EntityManager em;

    private long stored() {
        return QuarkusTransaction.requiringNew().call(() ->
                ((Number) em.createNativeQuery("select count(*) from subscription").getSingleResult()).longValue());
    }

    @Test
    void theSecretIsShownOnceAndStoredSealed() {
        String h = Hooks.newHospital();
        JsonPath created = Hooks.subscribe(TestTokens.his(h), "https://localhost/hooks", null,
                "ORDER_STATUS", "ALERT");
        String id = created.getString("id");
        String secret = created.getString("secret");
        assertTrue(secret.matches("whsec_[A-Za-z0-9_-]{43}"), secret);
        assertEquals(h, created.getString("locationId"));
        assertEquals(List.of("ORDER_STATUS", "ALERT"), created.getList("events"));
        assertEquals("https://localhost/hooks", created.getString("url"));

        given().auth().oauth2(TestTokens.his(h)).get("/api/v1/subscriptions/" + id).then().statusCode(200)
                .body("secret", nullValue()).body("url", equalTo("https://localhost/hooks"));
        given().auth().oauth2(TestTokens.hospital(h)).get("/api/v1/subscriptions").then().statusCode(200)
                .body("items.id", hasItem(id)).body("items.secret", not(hasItem(secret)));
        String sealed = QuarkusTransaction.requiringNew().call(() -> (String) em.createNativeQuery(
                "select secret_sealed from subscription where id = cast(?1 as uuid)").setParameter(1, id).getSingleResult());
        assertFalse(sealed.contains(secret.substring(6)), "never stored in plain");
        assertTrue(sealed.startsWith("v1:"));
        Hooks.unsubscribe(TestTokens.his(h), id);
    }

    @Test
    void theSecretIsNeverLogged() throws Exception {
        String h = Hooks.newHospital();
        String secret = Hooks.subscribe(TestTokens.his(h), "http://127.0.0.1:9/logged", null, "ALERT").getString("secret");
        Path log = Path.of("target/notification-test.log");
        assertTrue(Files.exists(log));
        assertFalse(Files.readString(log).contains(secret.substring(6)));
    }

    @Test
    void anIdempotentReplayAnswersTheSameSubscriptionWithoutItsSecret() {
        String h = Hooks.newHospital();
        String body = "{\"url\":\"http://localhost:9/idem\",\"events\":[\"RECALL\"]}";
        JsonPath first = given().auth().oauth2(TestTokens.his(h)).header("Idempotency-Key", "sub-" + h)
                .contentType(ContentType.JSON).body(body).post("/api/v1/subscriptions").then().statusCode(201)
                .extract().jsonPath();
        long before = stored();
        JsonPath again = given().auth().oauth2(TestTokens.his(h)).header("Idempotency-Key", "sub-" + h)
                .contentType(ContentType.JSON).body(body).post("/api/v1/subscriptions").then().statusCode(201)
                .header("Idempotent-Replayed", "true").extract().jsonPath();
        assertEquals(first.getString("id"), again.getString("id"));
        assertTrue(first.getString("secret").startsWith("whsec_"));
        assertEquals(null, again.getString("secret"), "shown once: a replay does not show it again");
        assertEquals(before, stored());
        given().auth().oauth2(TestTokens.his(h)).header("Idempotency-Key", "sub-" + h).contentType(ContentType.JSON)
                .body("{\"url\":\"http://localhost:9/other\",\"events\":[\"RECALL\"]}").post("/api/v1/subscriptions")
                .then().statusCode(422).body("code", equalTo("IDEMPOTENCY_KEY_REUSED"));
    }

    @Test
    void tenancy() {
        String h = Hooks.newHospital();
        String other = Hooks.newHospital();
        String id = Hooks.subscribe(TestTokens.hospital(h), "http://localhost:9/t", null, "ALERT").getString("id");
        // another hospital: 404 on every call about it, 403 naming its location
        given().auth().oauth2(TestTokens.his(other)).get("/api/v1/subscriptions/" + id).then().statusCode(404)
                .body("code", equalTo("NOT_FOUND"));
        given().auth().oauth2(TestTokens.his(other)).delete("/api/v1/subscriptions/" + id).then().statusCode(404);
        given().auth().oauth2(TestTokens.his(other)).get("/api/v1/subscriptions/" + id + "/deliveries").then()
                .statusCode(404);
        given().auth().oauth2(TestTokens.his(other)).get("/api/v1/subscriptions").then().statusCode(200)
                .body("items.id", not(hasItem(id)));
        given().auth().oauth2(TestTokens.his(other)).get("/api/v1/subscriptions?locationId=" + h).then()
                .statusCode(403).body("code", equalTo("LOCATION_NOT_YOURS"));
        long before = stored();
        given().auth().oauth2(TestTokens.his(other)).contentType(ContentType.JSON)
                .body("{\"url\":\"http://localhost:9/t\",\"events\":[\"ALERT\"],\"locationId\":\"" + h + "\"}")
                .post("/api/v1/subscriptions").then().statusCode(403).body("code", equalTo("LOCATION_NOT_YOURS"));
        // RECRUITMENT: the station's only
        given().auth().oauth2(TestTokens.his(h)).contentType(ContentType.JSON)
                .body("{\"url\":\"http://localhost:9/t\",\"events\":[\"RECRUITMENT\"]}")
                .post("/api/v1/subscriptions").then().statusCode(403).body("code", equalTo("RECRUITMENT_STATION_ONLY"));
        given().auth().oauth2(TestTokens.dispatcher()).contentType(ContentType.JSON)
                .body("{\"url\":\"http://localhost:9/t\",\"events\":[\"RECRUITMENT\"],\"locationId\":\"" + h + "\"}")
                .post("/api/v1/subscriptions").then().statusCode(422).body("code", equalTo("RECRUITMENT_STATION_ONLY"));
        assertEquals(before, stored());
        // the station sees and deletes it; it subscribes for a hospital (which then owns it) or for every location
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/subscriptions/" + id).then().statusCode(200);
        JsonPath forH = Hooks.subscribe(TestTokens.dispatcher(), "http://localhost:9/s", h, "ORDER_STATUS");
        assertEquals(h, forH.getString("locationId"));
        given().auth().oauth2(TestTokens.his(h)).get("/api/v1/subscriptions/" + forH.getString("id")).then().statusCode(200);
        JsonPath everywhere = Hooks.subscribe(TestTokens.dispatcher(), "http://localhost:9/s", null, "RECRUITMENT");
        assertEquals("STATION", everywhere.getString("locationId"));
        given().auth().oauth2(TestTokens.his(h)).get("/api/v1/subscriptions/" + everywhere.getString("id")).then()
                .statusCode(404);
        Hooks.unsubscribe(TestTokens.dispatcher(), id);
        Hooks.unsubscribe(TestTokens.his(h), forH.getString("id"));
        Hooks.unsubscribe(TestTokens.dispatcher(), everywhere.getString("id"));
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/subscriptions/" + id).then().statusCode(404);
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/subscriptions/not-a-uuid").then().statusCode(404);
    }

    @Test
    void aLocationHasAtMostTwentySubscriptions() {
        String h = Hooks.newHospital();
        List<String> ids = new java.util.ArrayList<>();
        for (int i = 0; i < 20; i++) {
            ids.add(Hooks.subscribe(TestTokens.his(h), "http://localhost:9/limit" + i, null, "RECALL").getString("id"));
        }
        long before = stored();
        given().auth().oauth2(TestTokens.his(h)).contentType(ContentType.JSON)
                .body("{\"url\":\"http://localhost:9/one-more\",\"events\":[\"RECALL\"]}").post("/api/v1/subscriptions")
                .then().statusCode(409).body("code", equalTo("SUBSCRIPTION_LIMIT_REACHED"));
        assertEquals(before, stored());
        Hooks.unsubscribe(TestTokens.his(h), ids.get(0));
        ids.set(0, Hooks.subscribe(TestTokens.his(h), "http://localhost:9/again", null, "RECALL").getString("id"));
        ids.forEach(id -> Hooks.unsubscribe(TestTokens.his(h), id));
    }

    @Test
    void listsArePaged() {
        String h = Hooks.newHospital();
        String a = Hooks.subscribe(TestTokens.his(h), "http://localhost:9/p1", null, "ALERT").getString("id");
        String b = Hooks.subscribe(TestTokens.his(h), "http://localhost:9/p2", null, "ALERT").getString("id");
        String c = Hooks.subscribe(TestTokens.his(h), "http://localhost:9/p3", null, "ALERT").getString("id");
        JsonPath page1 = given().auth().oauth2(TestTokens.his(h)).get("/api/v1/subscriptions?limit=2").then()
                .statusCode(200).extract().jsonPath();
        assertEquals(List.of(c, b), page1.getList("items.id"));
        JsonPath page2 = given().auth().oauth2(TestTokens.his(h))
                .get("/api/v1/subscriptions?limit=2&cursor=" + page1.getString("nextCursor")).then().statusCode(200)
                .extract().jsonPath();
        assertEquals(List.of(a), page2.getList("items.id"));
        assertEquals(null, page2.getString("nextCursor"));
        given().auth().oauth2(TestTokens.his(h)).get("/api/v1/subscriptions?limit=0").then().statusCode(422);
        given().auth().oauth2(TestTokens.his(h)).get("/api/v1/subscriptions?cursor=%%%").then().statusCode(400);
    }

    @Test
    void badInputIsRefusedAndStoresNothing() {
        String h = Hooks.newHospital();
        long before = stored();
        refused(h, "{\"url\":\"ftp://localhost/x\",\"events\":[\"ALERT\"]}", "SUBSCRIPTION_URL_INVALID");
        refused(h, "{\"url\":\"/relative/path\",\"events\":[\"ALERT\"]}", "SUBSCRIPTION_URL_INVALID");
        refused(h, "{\"url\":\"javascript:alert(1)\",\"events\":[\"ALERT\"]}", "SUBSCRIPTION_URL_INVALID");
        refused(h, "{\"url\":\"http://user:pw@localhost/x\",\"events\":[\"ALERT\"]}", "SUBSCRIPTION_URL_INVALID");
        refused(h, "{\"url\":\"http://exa mple.org/\",\"events\":[\"ALERT\"]}", "SUBSCRIPTION_URL_INVALID");
        refused(h, "{\"events\":[\"ALERT\"]}", "SUBSCRIPTION_URL_INVALID");
        // SSRF: not on the allowed hosts, the metadata service by name, link-local and metadata addresses
        refused(h, "{\"url\":\"https://evil.example.org/x\",\"events\":[\"ALERT\"]}", "SUBSCRIPTION_HOST_FORBIDDEN");
        refused(h, "{\"url\":\"http://metadata.google.internal/computeMetadata/v1/\",\"events\":[\"ALERT\"]}",
                "SUBSCRIPTION_HOST_FORBIDDEN");
        refused(h, "{\"url\":\"http://169.254.169.254/latest/meta-data/\",\"events\":[\"ALERT\"]}",
                "SUBSCRIPTION_HOST_FORBIDDEN");
        refused(h, "{\"url\":\"http://[fd00:ec2::254]/latest/\",\"events\":[\"ALERT\"]}", "SUBSCRIPTION_HOST_FORBIDDEN");
        refused(h, "{\"url\":\"http://0.0.0.0:8080/\",\"events\":[\"ALERT\"]}", "SUBSCRIPTION_HOST_FORBIDDEN");
        // the events
        refused(h, "{\"url\":\"http://localhost:9/x\",\"events\":[]}", "SUBSCRIPTION_EVENTS_EMPTY");
        refused(h, "{\"url\":\"http://localhost:9/x\"}", "SUBSCRIPTION_EVENTS_EMPTY");
        refused(h, "{\"url\":\"http://localhost:9/x\",\"events\":[\"ALERTS\"]}", "SUBSCRIPTION_EVENT_UNKNOWN");
        refused(h, "{\"url\":\"http://localhost:9/x\",\"events\":[\"ALERT\",\"ALERT\"]}", "SUBSCRIPTION_EVENT_UNKNOWN");
        given().auth().oauth2(TestTokens.dispatcher()).contentType(ContentType.JSON)
                .body("{\"url\":\"http://localhost:9/x\",\"events\":[\"ALERT\"],\"locationId\":\"NOWHERE\"}")
                .post("/api/v1/subscriptions").then().statusCode(422).body("code", equalTo("LOCATION_INVALID"));
        given().auth().oauth2(TestTokens.his(h)).contentType(ContentType.JSON).body("{\"url\":")
                .post("/api/v1/subscriptions").then().statusCode(400);
        refused(h, "{\"url\":\"https://nowhere.hospital.test/x\",\"events\":[\"ALERT\"]}", "SUBSCRIPTION_HOST_UNRESOLVABLE");
        assertEquals(before, stored(), "nothing stored");
    }

    private static void refused(String h, String body, String code) {
        given().auth().oauth2(TestTokens.his(h)).contentType(ContentType.JSON).body(body).post("/api/v1/subscriptions")
                .then().statusCode(422).contentType("application/problem+json").body("code", equalTo(code));
    }
}
