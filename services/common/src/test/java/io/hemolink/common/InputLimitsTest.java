package io.hemolink.common;

import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The input rules of ADR 0021 as every service inherits them from services/common. */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "common"))
class InputLimitsTest {

    @Inject
    EntityManager em;

    private static String thing(String name, String quantity) {
        return "{\"locationId\":\"H001\",\"name\":" + name + ",\"abo\":\"B\",\"quantity\":" + quantity + "}";
    }

    private long things(String name) {
        return ((Number) em.createNativeQuery("select count(*) from thing where name = ?1").setParameter(1, name)
                .getSingleResult()).longValue();
    }

    @Test
    void nulInATextFieldIs422NamingTheFieldAndNothingIsWritten() {
        given().auth().oauth2(TestTokens.dispatcher()).contentType(ContentType.JSON)
                .body(thing("\"bad\\u0000name\"", "1")).post("/api/v1/things")
                .then().statusCode(422).contentType("application/problem+json")
                .body("code", equalTo("CONTROL_CHARACTER")).body("errors.field", hasItem("name"))
                .body("detail", containsString("U+0000"));
        assertEquals(0, things("bad\u0000name".replace("\u0000", "")));
    }

    @Test
    void otherControlCharactersAreRefusedButLineBreaksAndTabsAreText() {
        for (String escape : new String[] {"\\u0001", "\\u001b", "\\u007f", "\\u0085", "\\ud800"}) {
            given().auth().oauth2(TestTokens.dispatcher()).contentType(ContentType.JSON)
                    .body(thing("\"x" + escape + "y\"", "1")).post("/api/v1/things")
                    .then().statusCode(422).body("code", equalTo("CONTROL_CHARACTER"));
        }
        String name = "line one\\nline two\\tand\\r" + UUID.randomUUID();
        given().auth().oauth2(TestTokens.dispatcher()).contentType(ContentType.JSON)
                .body(thing("\"" + name + "\"", "1")).post("/api/v1/things").then().statusCode(201);
        given().auth().oauth2(TestTokens.dispatcher()).contentType(ContentType.JSON)
                .body(thing("\"emoji \\ud83e\\ude78 ok\"", "1")).post("/api/v1/things").then().statusCode(201);
    }

    @Test
    void fractionalNumbersStringNumbersAndNumbersForTextAre422() {
        String name = "n-" + UUID.randomUUID();
        for (String quantity : new String[] {"1.5", "1.0", "\"2\"", "1e0", "true"}) {
            given().auth().oauth2(TestTokens.dispatcher()).contentType(ContentType.JSON)
                    .body(thing("\"" + name + "\"", quantity)).post("/api/v1/things")
                    .then().log().ifValidationFails().statusCode(422).contentType("application/problem+json")
                    .body("code", equalTo("INVALID_VALUE")).body("errors.field", hasItem("quantity"));
        }
        given().auth().oauth2(TestTokens.dispatcher()).contentType(ContentType.JSON)
                .body(thing("42", "1")).post("/api/v1/things")
                .then().statusCode(422).body("code", equalTo("INVALID_VALUE")).body("errors.field", hasItem("name"));
        given().auth().oauth2(TestTokens.dispatcher()).contentType(ContentType.JSON)
                .body(thing("\"" + name + "\"", "1").replace("\"B\"", "0")).post("/api/v1/things")
                .then().statusCode(422).body("code", equalTo("INVALID_VALUE")).body("errors.field", hasItem("abo"));
        // a structure where a value belongs stays what the Errors table says: 400 MALFORMED_JSON
        given().auth().oauth2(TestTokens.dispatcher()).contentType(ContentType.JSON)
                .body(thing("\"" + name + "\"", "{}")).post("/api/v1/things")
                .then().statusCode(400).body("code", equalTo("MALFORMED_JSON")).body("errors.field", hasItem("quantity"));
        assertEquals(0, things(name));
    }

    /** A request written by hand on a socket: what curl or a fuzzer sends, not what a client library tidies up. */
    private static String raw(String request) throws IOException {
        try (Socket socket = new Socket("localhost", io.restassured.RestAssured.port)) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(request.getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().flush();
            InputStream in = socket.getInputStream();
            StringBuilder answer = new StringBuilder();
            byte[] buf = new byte[8192];
            int n;
            while (!complete(answer) && (n = in.read(buf)) > 0) {
                answer.append(new String(buf, 0, n, StandardCharsets.UTF_8));
            }
            return answer.toString();
        }
    }

    private static boolean complete(StringBuilder answer) {
        int end = answer.indexOf("\r\n\r\n");
        if (end < 0) {
            return false;
        }
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("(?i)content-length: *(\\d+)")
                .matcher(answer.substring(0, end));
        return m.find() && answer.length() - end - 4 >= Integer.parseInt(m.group(1));
    }

    private static String get(String target) throws IOException {
        return raw("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TestTokens.dispatcher()
                + "\r\n\r\n");
    }

    @Test
    void aBodyOverTheLimitIs413ProblemJson() {
        String name = "big-" + UUID.randomUUID();
        String big = thing("\"" + name + "\"", "1").replace("\"abo\"", "\"pad\":\"" + "x".repeat(1_100_000) + "\",\"abo\"");
        given().auth().oauth2(TestTokens.dispatcher()).contentType(ContentType.JSON).body(big).post("/api/v1/things")
                .then().statusCode(413).contentType("application/problem+json").body("code", equalTo("BODY_TOO_LARGE"))
                .body("status", equalTo(413));
        assertEquals(0, things(name));
    }

    @Test
    void aChunkedBodyOverTheLimitIs413ProblemJsonToo() throws IOException {
        int port = io.restassured.RestAssured.port;
        try (Socket socket = new Socket("localhost", port)) {
            socket.setSoTimeout(20_000);
            OutputStream out = socket.getOutputStream();
            out.write(("POST /api/v1/things HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer " + TestTokens.dispatcher()
                    + "\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] chunk = ("{\"pad\":\"" + "y".repeat(60_000)).getBytes(StandardCharsets.US_ASCII);
            StringBuilder answer = new StringBuilder();
            InputStream in = socket.getInputStream();
            try {
                for (int i = 0; i < 30; i++) {
                    out.write((Integer.toHexString(chunk.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
                    out.write(chunk);
                    out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
                    out.flush();
                    chunk = "y".repeat(60_000).getBytes(StandardCharsets.US_ASCII);
                }
                out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                out.flush();
            } catch (IOException closedByServer) {
                // the server may answer and close before the whole body is sent
            }
            byte[] buf = new byte[8192];
            int n;
            try {
                while (!complete(answer) && (n = in.read(buf)) > 0) {
                    answer.append(new String(buf, 0, n, StandardCharsets.UTF_8));
                }
            } catch (IOException reset) {
                // closed after the answer
            }
            String text = answer.toString();
            assertTrue(text.startsWith("HTTP/1.1 413"), text);
            assertTrue(text.toLowerCase().contains("content-type: application/problem+json"), text);
            assertTrue(text.contains("\"code\":\"BODY_TOO_LARGE\""), text);
        }
    }

    @Test
    void malformedPercentEncodingIs400ProblemJson() throws IOException {
        for (String query : new String[] {"locationId=%zz", "actor=%C3%28", "actor=%4"}) {
            String answer = get("/api/v1/audit?" + query);
            assertTrue(answer.startsWith("HTTP/1.1 400"), answer);
            assertTrue(answer.toLowerCase().contains("content-type: application/problem+json"), answer);
            assertTrue(answer.contains("\"code\":\"MALFORMED_QUERY\""), answer);
        }
        String answer = get("/api/v1/things/%zz");
        assertTrue(answer.startsWith("HTTP/1.1 400") && answer.contains("\"code\":\"MALFORMED_PATH\""), answer);
    }

    @Test
    void controlCharactersInQueryAndPathAre422BeforeSql() {
        given().auth().oauth2(TestTokens.dispatcher()).urlEncodingEnabled(false).get("/api/v1/things?name=a%00b")
                .then().statusCode(422).contentType("application/problem+json")
                .body("code", equalTo("CONTROL_CHARACTER")).body("errors.field", hasItem("name"));
        given().auth().oauth2(TestTokens.dispatcher()).urlEncodingEnabled(false).get("/api/v1/audit?actor=x%0Ay")
                .then().statusCode(422).body("code", equalTo("CONTROL_CHARACTER")).body("errors.field", hasItem("actor"));
        given().auth().oauth2(TestTokens.dispatcher()).urlEncodingEnabled(false).get("/api/v1/things/a%00b")
                .then().statusCode(422).body("code", equalTo("CONTROL_CHARACTER")).body("errors.field", hasItem("path"));
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/things?name=plain name")
                .then().statusCode(200).body("count", equalTo(0));
    }

    @Test
    void anOptionalBodyMayBeLeftOutWithoutAContentType() throws IOException {
        String id = UUID.randomUUID().toString();
        // as curl -X POST sends it: no body, no Content-Type, no Content-Length
        String answer = raw("POST /api/v1/things/" + id + "/notes HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + TestTokens.dispatcher() + "\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 200") && answer.contains("\"reason\":\"none\""), answer);
        given().auth().oauth2(TestTokens.dispatcher()).post("/api/v1/things/" + id + "/notes")
                .then().statusCode(200).body("reason", equalTo("none"));
        given().auth().oauth2(TestTokens.dispatcher()).contentType(ContentType.JSON).body("{\"reason\":\"r\"}")
                .post("/api/v1/things/" + id + "/notes").then().statusCode(200).body("reason", equalTo("r"));
    }

    @Test
    void aRequiredBodyLeftOutIs422NotA415() throws IOException {
        String answer = raw("POST /api/v1/things HTTP/1.1\r\nHost: localhost\r\nAuthorization: Bearer "
                + TestTokens.dispatcher() + "\r\nContent-Length: 0\r\n\r\n");
        assertTrue(answer.startsWith("HTTP/1.1 422") && answer.contains("VALIDATION_FAILED"), answer);
        given().auth().oauth2(TestTokens.dispatcher()).post("/api/v1/things")
                .then().statusCode(422).contentType("application/problem+json").body("code", equalTo("VALIDATION_FAILED"));
    }

    @Test
    void badQueryValuesAre422() {
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/audit?limit=abc")
                .then().statusCode(422).contentType("application/problem+json").body("code", equalTo("INVALID_VALUE"));
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/audit?limit=1.5")
                .then().statusCode(422).body("code", equalTo("INVALID_VALUE"));
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/audit?limit=501")
                .then().statusCode(422).body("code", equalTo("INVALID_VALUE"));
    }
}
