package io.hemolink.common;

import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import io.quarkus.narayana.jta.QuarkusTransaction;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Every state-changing call is in the audit trail with who, where, when, what and its events; the trail is append-only. */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "common"))
class AuditTrailTest {

    private static final String BODY = "{\"locationId\":\"%s\",\"name\":\"%s\",\"abo\":\"B\",\"quantity\":1}";

    @Inject
    EntityManager em;

    @Test
    void aCreatingCallIsRecordedWithItsCommittedEventAndAReplayIsMarked() {
        String name = "audited-" + UUID.randomUUID();
        String key = "k-" + UUID.randomUUID();
        Response created = given().auth().oauth2(TestTokens.hospital("H001")).header("Idempotency-Key", key)
                .header("X-Request-Id", "req-" + name).contentType("application/json")
                .body(BODY.formatted("H001", name)).post("/api/v1/things");
        created.then().statusCode(201).header("X-Request-Id", "req-" + name);
        String id = created.path("id");
        given().auth().oauth2(TestTokens.hospital("H001")).header("Idempotency-Key", key)
                .header("X-Request-Id", "again-" + name).contentType("application/json")
                .body(BODY.formatted("H001", name)).post("/api/v1/things").then().statusCode(201);

        Map<String, Object> first = entry("req-" + name);
        assertEquals("POST", first.get("method"));
        assertEquals("/api/v1/things", first.get("path"));
        assertEquals(201, first.get("status"));
        assertEquals("H001", first.get("locationId"));
        assertEquals("hospital-transfusion", first.get("roles"));
        assertEquals(false, first.get("replayed"));
        assertNotNull(first.get("at"));
        List<Map<String, Object>> changes = cast(first.get("changes"));
        assertEquals(1, changes.size(), "the one event the call committed");
        assertEquals(id, changes.get(0).get("key"));
        assertEquals("thing/" + id, changes.get(0).get("subject"));

        Map<String, Object> replay = entry("again-" + name);
        assertEquals(true, replay.get("replayed"));
        assertTrue(cast(replay.get("changes")).isEmpty(), "a replay commits nothing");
    }

    @Test
    void theEntryOfACommittedChangeIsWrittenInItsTransactionAndItsAnswerAddedAfter() {
        String name = "in-tx-" + UUID.randomUUID();
        Response answered = given().auth().oauth2(TestTokens.hospital("H001")).header("X-Request-Id", "tx-" + name)
                .contentType("application/json").body(BODY.formatted("H001", name)).post("/api/v1/things/committed");
        answered.then().statusCode(200);
        // before the call was answered, its entry was committed together with the change (no status yet)
        assertEquals(1, (Integer) answered.path("entries"));
        assertEquals("none", answered.path("statusBeforeAnswer"));
        assertTrue(answered.<String>path("changesBeforeAnswer").contains((String) answered.path("id")),
                "the entry written with the change names the event it committed");
        // once answered, the same entry (not a second one) carries the status
        Map<String, Object> entry = entryWhere(e -> ("tx-" + name).equals(e.get("requestId")) && e.get("status") != null);
        assertEquals(200, entry.get("status"));
        assertEquals(1, cast(entry.get("changes")).size());
        long entries = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                "select count(*) from audit_entry where request_id = ?1").setParameter(1, "tx-" + name)
                .getSingleResult()).longValue());
        assertEquals(1, entries);
        // and the answer is recorded once: the status of an answered entry cannot change
        assertThrows(Exception.class, () -> QuarkusTransaction.requiringNew().run(() ->
                em.createNativeQuery("update audit_entry set status = 500 where request_id = ?1")
                        .setParameter(1, "tx-" + name).executeUpdate()));
    }

    @Test
    void refusedAndRolledBackCallsAreRecordedWithoutEventsAndAnonymousOnesAreNot() {
        String name = "refused-" + UUID.randomUUID();
        given().auth().oauth2(TestTokens.hospital("H001")).header("X-Request-Id", "other-" + name)
                .contentType("application/json").body(BODY.formatted("H002", name)).post("/api/v1/things")
                .then().statusCode(403);
        given().auth().oauth2(TestTokens.hospital("H001")).header("X-Request-Id", "failing-" + name)
                .contentType("application/json").body(BODY.formatted("H001", name)).post("/api/v1/things/failing")
                .then().statusCode(409);
        given().header("X-Request-Id", "anon-" + name).contentType("application/json")
                .body(BODY.formatted("H001", name)).post("/api/v1/things").then().statusCode(401);

        Map<String, Object> forbidden = entry("other-" + name);
        assertEquals(403, forbidden.get("status"));
        assertTrue(cast(forbidden.get("changes")).isEmpty());
        Map<String, Object> failed = entry("failing-" + name);
        assertEquals(409, failed.get("status"));
        assertTrue(cast(failed.get("changes")).isEmpty(), "the event of a rolled-back transaction is no change");

        List<Map<String, Object>> all = given().auth().oauth2(TestTokens.dispatcher()).queryParam("limit", 500)
                .get("/api/v1/audit").then().statusCode(200).extract().path("items");
        assertFalse(all.stream().anyMatch(e -> ("anon-" + name).equals(e.get("requestId"))));
    }

    @Test
    void onlyTheStationReadsTheTrailPageByPageAndFilters() {
        String name = "paged-" + UUID.randomUUID();
        Instant before = Instant.now().minus(Duration.ofSeconds(1));
        for (int i = 0; i < 3; i++) {
            given().auth().oauth2(TestTokens.token("pager-" + name, "H002", "hospital-transfusion"))
                    .contentType("application/json").body(BODY.formatted("H002", name + i)).post("/api/v1/things")
                    .then().statusCode(201);
        }
        given().auth().oauth2(TestTokens.hospital("H002")).get("/api/v1/audit").then().statusCode(403);
        given().get("/api/v1/audit").then().statusCode(401);

        String cursor = null;
        int seen = 0;
        do {
            var req = given().auth().oauth2(TestTokens.dispatcher()).queryParam("actor", "pager-" + name)
                    .queryParam("from", before.toString().replace("Z", "+00:00")).queryParam("limit", 2);
            if (cursor != null) {
                req.queryParam("cursor", cursor);
            }
            Response page = req.get("/api/v1/audit");
            page.then().statusCode(200);
            List<Map<String, Object>> items = page.path("items");
            items.forEach(e -> assertEquals("H002", e.get("locationId")));
            seen += items.size();
            cursor = page.path("nextCursor");
        } while (cursor != null);
        assertEquals(3, seen);
        given().auth().oauth2(TestTokens.dispatcher()).queryParam("from", "yesterday").get("/api/v1/audit")
                .then().statusCode(422).body("code", equalTo("INVALID_VALUE"));
        given().auth().oauth2(TestTokens.dispatcher()).queryParam("cursor", "%%%").get("/api/v1/audit")
                .then().statusCode(400).body("code", equalTo("CURSOR_INVALID"));
    }

    @Test
    void theTrailCannotBeChangedOrEmptied() {
        given().auth().oauth2(TestTokens.hospital("H001")).contentType("application/json")
                .body(BODY.formatted("H001", "kept-" + UUID.randomUUID())).post("/api/v1/things").then().statusCode(201);
        awaitEntries();
        assertThrows(Exception.class, () -> QuarkusTransaction.requiringNew().run(() ->
                em.createNativeQuery("update audit_entry set actor = 'someone else'").executeUpdate()));
        assertThrows(Exception.class, () -> QuarkusTransaction.requiringNew().run(() ->
                em.createNativeQuery("delete from audit_entry").executeUpdate()));
        assertThrows(Exception.class, () -> QuarkusTransaction.requiringNew().run(() ->
                em.createNativeQuery("truncate audit_entry").executeUpdate()));
        long count = QuarkusTransaction.requiringNew().call(() ->
                ((Number) em.createNativeQuery("select count(*) from audit_entry").getSingleResult()).longValue());
        assertTrue(count > 0);
    }

    private void awaitEntries() {
        entryWhere(e -> true);
    }

    /** The entry of a call once its answer is recorded. */
    private Map<String, Object> entry(String requestId) {
        return entryWhere(e -> requestId.equals(e.get("requestId")) && e.get("status") != null);
    }

    /** The answer is recorded as the call is answered; it may land a moment after the client has its response. */
    private Map<String, Object> entryWhere(java.util.function.Predicate<Map<String, Object>> match) {
        long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
        while (true) {
            List<Map<String, Object>> items = given().auth().oauth2(TestTokens.dispatcher()).queryParam("limit", 500)
                    .get("/api/v1/audit").then().statusCode(200).extract().path("items");
            var found = items.stream().filter(match).findFirst();
            if (found.isPresent()) {
                return found.get();
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("no audit entry found");
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
    }

    @SuppressWarnings("unchecked")
    private static List<Map<String, Object>> cast(Object o) {
        return (List<Map<String, Object>>) o;
    }
}
