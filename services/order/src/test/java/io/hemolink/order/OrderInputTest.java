package io.hemolink.order;

import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

import static io.hemolink.order.OrderTesting.line;
import static io.hemolink.order.OrderTesting.newDin;
import static io.hemolink.order.OrderTesting.newHospital;
import static io.hemolink.order.OrderTesting.orderJson;
import static io.hemolink.order.OrderTesting.post;
import static io.hemolink.order.OrderTesting.submit;
import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasSize;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Bad input to the order service is refused with a stable code and changes nothing (ADR 0020, 0021). */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "orders"))
class OrderInputTest {

    private static int orders(String hospital) {
        return given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/orders?locationId=" + hospital).then()
                .statusCode(200).extract().path("items.size()");
    }

    @Test
    void aNulInTheNotesIs422AndNoOrderIsPlaced() {
        String h = newHospital();
        String body = orderJson(h, "ROUTINE", line("RBC", "O", "POS", 2)).replace("}]}", "}],\"notes\":\"ward 3\\u0000\"}");
        post(TestTokens.hospital(h), "/orders", body).statusCode(422).contentType("application/problem+json")
                .body("code", equalTo("CONTROL_CHARACTER")).body("errors.field", hasItem("notes"));
        post(TestTokens.hospital(h), "/orders", orderJson(h, "ROUTINE", line("RBC", "O", "POS", 2)).replace("2}", "1.5}"))
                .statusCode(422).body("code", equalTo("INVALID_VALUE")).body("errors.field", hasItem("lines[0].quantity"));
        assertTrue(orders(h) == 0);
        // a line break in free text is text
        post(TestTokens.hospital(h), "/orders", body.replace("\\u0000", "\\nbed 12")).statusCode(201);
    }

    @Test
    void aNulInAReturnsReasonIs422() {
        String h = newHospital();
        String body = "{\"din\":\"" + newDin() + "\",\"component\":\"RBC\",\"sealIntact\":true,\"segmentAttached\":true,"
                + "\"minutesOutOfStorage\":10,\"reason\":\"not \\u0000 used\"}";
        post(TestTokens.hospital(h), "/returns", body).statusCode(422).body("code", equalTo("CONTROL_CHARACTER"))
                .body("errors.field", hasItem("reason"));
        post(TestTokens.hospital(h), "/returns", body.replace("10,", "\"10\",")).statusCode(422)
                .body("code", equalTo("INVALID_VALUE")).body("errors.field", hasItem("minutesOutOfStorage"));
    }

    @Test
    void cancelTakesNoBodyAndNoContentType() throws IOException {
        String h = newHospital();
        String id = submit(h, orderJson(h, "ROUTINE", line("RBC", "O", "POS", 2)));
        // exactly what `curl -X POST …/cancel` sends
        String answer;
        try (Socket socket = new Socket("localhost", io.restassured.RestAssured.port)) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(("POST /api/v1/orders/" + id + "/cancel HTTP/1.1\r\nHost: localhost\r\n"
                    + "Authorization: Bearer " + TestTokens.hospital(h) + "\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            InputStream in = socket.getInputStream();
            answer = new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
        assertTrue(answer.startsWith("HTTP/1.1 200"), answer);
        given().auth().oauth2(TestTokens.hospital(h)).get("/api/v1/orders/" + id).then().statusCode(200)
                .body("status", equalTo("CANCELLED"));
    }

    @Test
    void anotherLocationInAQueryIs403AndUnknownStatusIs422() {
        String h = newHospital();
        String other = newHospital();
        submit(other, orderJson(other, "ROUTINE", line("RBC", "O", "POS", 2)));
        given().auth().oauth2(TestTokens.hospital(h)).get("/api/v1/orders?locationId=" + other).then().statusCode(403)
                .body("code", equalTo("LOCATION_NOT_YOURS"));
        given().auth().oauth2(TestTokens.hospital(h)).get("/api/v1/orders?locationId=H999").then().statusCode(403)
                .body("code", equalTo("LOCATION_NOT_YOURS"));
        given().auth().oauth2(TestTokens.hospital(h)).get("/api/v1/orders").then().statusCode(200)
                .body("items", hasSize(0));
        given().auth().oauth2(TestTokens.hospital(h)).get("/api/v1/standing-orders?locationId=" + other).then()
                .statusCode(403).body("code", equalTo("LOCATION_NOT_YOURS"));
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/orders?status=SHIPPED").then().statusCode(422)
                .body("code", equalTo("INVALID_VALUE")).body("errors.field", hasItem("status"));
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/orders?cursor=!!").then().statusCode(400)
                .body("code", equalTo("CURSOR_INVALID"));
        // a made-up cursor that decodes to "a<NUL>b" (the fuzzer's first find: it reached SQL and gave 500)
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/locations?cursor=YQBi").then().statusCode(400)
                .body("code", equalTo("CURSOR_INVALID"));
    }
}
