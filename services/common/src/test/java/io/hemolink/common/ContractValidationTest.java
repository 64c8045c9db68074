package io.hemolink.common;

import com.atlassian.oai.validator.restassured.OpenApiValidationFilter.OpenApiValidationException;
import io.hemolink.infra.ContractValidation;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The served OpenAPI lists every status an operation answers (ErrorResponses, ADR 0019), and every REST Assured call
 * of a test is checked against it (ContractValidation in deploy/testing): an undocumented status or a body that
 * breaks its schema fails the call.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "common"))
class ContractValidationTest {

    @Test
    void anUndocumentedStatusFailsTheCall() {
        OpenApiValidationException e = assertThrows(OpenApiValidationException.class, () ->
                given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/things/" + UUID.randomUUID() + "/teapot"));
        assertTrue(e.getMessage().contains("validation.response.status.unknown"), e.getMessage());
    }

    @Test
    void aBodyThatBreaksItsSchemaFailsTheCall() {
        OpenApiValidationException e = assertThrows(OpenApiValidationException.class, () ->
                given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/things/" + UUID.randomUUID() + "/misshapen"));
        assertTrue(e.getMessage().contains("validation.response.body.schema.type"), e.getMessage());
    }

    @Test
    void answersGotWithoutRestAssuredAreCheckedToo() {
        URI app = URI.create(RestAssured.baseURI + ":" + RestAssured.port);
        String path = "/api/v1/things/" + UUID.randomUUID();
        ContractValidation.check(app, "GET", path, 404, "application/problem+json",
                "{\"type\":\"t\",\"title\":\"Not found\",\"status\":404,\"code\":\"NOT_FOUND\"}");
        AssertionError e = assertThrows(AssertionError.class, () -> ContractValidation.check(app, "GET", path, 409,
                "application/problem+json", "{\"type\":\"t\",\"title\":\"c\",\"status\":409,\"code\":\"C\"}"));
        assertTrue(e.getMessage().contains("validation.response.status.unknown"), e.getMessage());
    }

    @Test
    void documentedAnswersPass() {
        String id = given().auth().oauth2(TestTokens.hospital("H001")).contentType("application/json")
                .body("{\"locationId\":\"H001\",\"name\":\"n\",\"abo\":\"B\",\"quantity\":1}").post("/api/v1/things")
                .then().statusCode(201).extract().path("id");
        // nulls where the schema says nullable: a nullable timestamp, a nullable enum and a nullable object, references
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/things/" + id).then().statusCode(200)
                .body("checkedAt", equalTo(null)).body("grade", equalTo(null)).body("label", equalTo(null));
        given().auth().oauth2(TestTokens.dispatcher()).get("/api/v1/things/" + UUID.randomUUID())
                .then().statusCode(404).body("code", equalTo("NOT_FOUND"));
        given().get("/api/v1/things/" + UUID.randomUUID()).then().statusCode(401);
        given().auth().oauth2(TestTokens.dispatcher()).contentType("application/json").body("{\"name\":")
                .post("/api/v1/things").then().statusCode(400);
    }

    @Test
    void theSpecListsTheGenericAndTheParticularStatusesAsProblems() {
        JsonPath spec = given().get("/q/openapi?format=json").then().statusCode(200).extract().jsonPath();
        assertEquals("3.0.3", spec.getString("openapi"));
        Map<String, Object> get = spec.getMap("paths.'/api/v1/things/{id}'.get.responses");
        assertEquals(List.of("200", "400", "401", "403", "404", "422", "500", "503"), get.keySet().stream().sorted().toList());
        Map<String, Object> create = spec.getMap("paths.'/api/v1/things'.post.responses");
        assertEquals(List.of("201", "400", "401", "403", "413", "422", "500", "503"), create.keySet().stream().sorted().toList());
        assertEquals("#/components/schemas/Problem",
                spec.getString("paths.'/api/v1/things'.post.responses.'422'.content.'application/problem+json'.schema.$ref"));
        assertEquals("#/components/schemas/Thing",
                spec.getString("paths.'/api/v1/things'.post.responses.'201'.content.'application/json'.schema.$ref"));
        assertTrue(spec.getString("paths.'/api/v1/things/failing'.post.responses.'409'.description").contains("THING_REFUSED"));
        assertEquals("#/components/schemas/Problem", spec.getString(
                "paths.'/api/v1/things/failing'.post.responses.'409'.content.'application/problem+json'.schema.$ref"));
        assertTrue(spec.getMap("paths.'/api/v1/things/{id}'.get.responses.'503'.headers").containsKey("Retry-After"));
        assertEquals(List.of("type", "title", "status", "code"), spec.getList("components.schemas.Problem.required"));
        // a nullable reference is written inline (3.0 cannot make a $ref nullable)
        Map<String, Object> checkedAt = spec.getMap("components.schemas.Thing.properties.checkedAt");
        assertEquals("string", checkedAt.get("type"));
        assertEquals("date-time", checkedAt.get("format"));
        assertEquals(true, checkedAt.get("nullable"));
        assertEquals(List.of("O", "A", "B", "AB"), spec.getList("components.schemas.Thing.properties.grade.enum"));
        assertEquals(true, spec.getBoolean("components.schemas.Thing.properties.grade.nullable"));
        // a nullable object too, with its properties
        assertEquals("object", spec.getString("components.schemas.Thing.properties.label.type"));
        assertEquals(true, spec.getBoolean("components.schemas.Thing.properties.label.nullable"));
        assertTrue(spec.getMap("components.schemas.Thing.properties.label.properties").containsKey("text"));
    }
}
