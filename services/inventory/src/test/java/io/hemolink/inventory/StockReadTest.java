package io.hemolink.inventory;

import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.hemolink.inventory.domain.StockPicture;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.ExtractableResponse;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import static io.hemolink.inventory.UnitsApiTest.newDin;
import static io.hemolink.inventory.UnitsApiTest.release;
import static io.hemolink.inventory.UnitsApiTest.unitJson;
import static io.hemolink.inventory.UnitsApiTest.yesterday;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.emptyString;
import static org.hamcrest.Matchers.startsWith;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The stock read from the shared picture: an ETag on both reads and 304 for a current one, never stale after a change
 * committed here (also while changes and reads run at once), one picture read for many calls, tenancy as before.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "inventory"))
class StockReadTest {

    private static final String CRYO_AB_NEG = "/api/v1/stock?locationId=STATION&component=CRYO&abo=AB&rhd=NEG";

    @Inject
    StockPicture picture;

    @Test
    void aCurrentTagIs304AndAChangeCommittedHereShowsAtOnce() {
        String station = TestTokens.dispatcher();
        release(unitJson(newDin(), "CRYO", "AB", "NEG", 1, yesterday())).statusCode(201);
        ExtractableResponse<Response> first = given().auth().oauth2(station).get(CRYO_AB_NEG).then().statusCode(200)
                .header("ETag", startsWith("W/\"")).header("Cache-Control", "private, no-cache").extract();
        String tag = first.header("ETag");
        int bags = bags(first);
        given().auth().oauth2(station).header("If-None-Match", tag).get(CRYO_AB_NEG).then().statusCode(304)
                .body(emptyString()).header("ETag", tag);
        given().auth().oauth2(station).header("If-None-Match", "\"other\", " + tag.substring(2)).get(CRYO_AB_NEG).then()
                .statusCode(304);

        // the release's answer comes after its commit: the very next read shows the bag, under a new tag
        release(unitJson(newDin(), "CRYO", "AB", "NEG", 1, yesterday())).statusCode(201);
        ExtractableResponse<Response> after = given().auth().oauth2(station).header("If-None-Match", tag).get(CRYO_AB_NEG)
                .then().statusCode(200).extract();
        assertEquals(bags + 1, bags(after));
        assertNotEquals(tag, after.header("ETag"));

        // the balance board too
        String boardTag = given().auth().oauth2(station).get("/api/v1/stock/balance").then().statusCode(200)
                .header("ETag", startsWith("W/\"")).extract().header("ETag");
        given().auth().oauth2(TestTokens.hospital("H001")).header("If-None-Match", boardTag).get("/api/v1/stock/balance")
                .then().statusCode(304).body(emptyString());
        release(unitJson(newDin(), "CRYO", "AB", "NEG", 1, yesterday())).statusCode(201);
        given().auth().oauth2(station).header("If-None-Match", boardTag).get("/api/v1/stock/balance").then().statusCode(200);
    }

    @Test
    void manyCallsShareOnePictureAndEachCallerSeesWhatItSawBefore() {
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/stock").then().statusCode(200);
        long reads = picture.reads();
        for (int i = 0; i < 20; i++) {
            given().auth().oauth2(i % 2 == 0 ? TestTokens.dispatcher() : TestTokens.hospital("H001")).get("/api/v1/stock")
                    .then().statusCode(200);
        }
        assertTrue(picture.reads() - reads <= 5, "20 calls read " + (picture.reads() - reads) + " pictures");

        List<String> hospitalSees = given().auth().oauth2(TestTokens.hospital("H001")).get("/api/v1/stock").then()
                .statusCode(200).extract().path("items.locationId");
        assertTrue(hospitalSees.stream().allMatch(l -> l.equals("H001") || l.equals("REGION")), hospitalSees.toString());
        List<String> stationSees = given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/stock").then()
                .statusCode(200).extract().path("items.locationId");
        assertTrue(stationSees.contains("STATION") && stationSees.contains("REGION"), stationSees.toString());
        given().auth().oauth2(TestTokens.hospital("H001")).get("/api/v1/stock?locationId=REGION").then().statusCode(200);
        given().auth().oauth2(TestTokens.hospital("H001")).get("/api/v1/stock?locationId=STATION").then().statusCode(403);
    }

    @Test
    void readsDuringConcurrentReleasesEndOnTheCommittedCount() throws Exception {
        String station = TestTokens.dispatcher();
        String path = "/api/v1/stock?locationId=STATION&component=CRYO&abo=B&rhd=NEG";
        int before = bags(given().auth().oauth2(station).get(path).then().statusCode(200).extract());
        ExecutorService pool = Executors.newFixedThreadPool(4);
        AtomicBoolean releasing = new AtomicBoolean(true);
        try {
            Future<Integer> reader = pool.submit(() -> {
                int last = before;
                while (releasing.get()) {
                    int now = bags(given().auth().oauth2(station).get(path).then().statusCode(200).extract());
                    assertTrue(now >= last, "the count never goes back: " + last + " then " + now);
                    last = now;
                }
                return last;
            });
            List<Future<?>> writers = new ArrayList<>();
            for (int w = 0; w < 3; w++) {
                writers.add(pool.submit(() -> {
                    for (int i = 0; i < 5; i++) {
                        release(unitJson(newDin(), "CRYO", "B", "NEG", 1, yesterday())).statusCode(201);
                    }
                }));
            }
            for (Future<?> f : writers) {
                f.get();
            }
            releasing.set(false);
            reader.get();
        } finally {
            pool.shutdownNow();
        }
        assertEquals(before + 15, bags(given().auth().oauth2(station).get(path).then().statusCode(200).extract()));
    }

    private static int bags(ExtractableResponse<Response> r) {
        List<Map<String, Object>> items = r.path("items");
        return items.stream().mapToInt(i -> ((Number) i.get("bags")).intValue()).sum();
    }
}
