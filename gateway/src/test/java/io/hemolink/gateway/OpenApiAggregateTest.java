package io.hemolink.gateway;

import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class OpenApiAggregateTest {

    private static JsonObject spec(String path, String schema, String type) {
        return new JsonObject("""
                {"openapi":"3.0.3","tags":[{"name":"%s"}],
                 "paths":{"%s":{"get":{"responses":{"200":{"content":{"application/json":
                   {"schema":{"$ref":"#/components/schemas/%s"}}}}}}}},
                 "components":{"schemas":{"%s":{"type":"%s"},"Problem":{"type":"object"}}}}"""
                .formatted(path, path, schema, schema, type));
    }

    @Test
    void pathsAndComponentsOfEveryServiceAreMergedAndClashingNamesArePrefixed() {
        JsonObject merged = OpenApiAggregate.base();
        OpenApiAggregate.merge(merged, "inventory", spec("/api/v1/units", "Line", "object"));
        OpenApiAggregate.merge(merged, "storage-point", spec("/api/v1/storage-points", "Line", "string"));

        JsonObject schemas = merged.getJsonObject("components").getJsonObject("schemas");
        assertEquals("object", schemas.getJsonObject("Line").getString("type"), "the first service keeps its name");
        assertEquals("string", schemas.getJsonObject("StoragePoint_Line").getString("type"), "the clash is prefixed");
        assertTrue(schemas.containsKey("Problem") && !schemas.containsKey("StoragePoint_Problem"),
                "an identical component is shared, not copied");
        assertEquals("#/components/schemas/StoragePoint_Line", merged.getJsonObject("paths")
                .getJsonObject("/api/v1/storage-points").getJsonObject("get").getJsonObject("responses")
                .getJsonObject("200").getJsonObject("content").getJsonObject("application/json")
                .getJsonObject("schema").getString("$ref"), "the service's references follow the rename");
        assertEquals(2, merged.getJsonObject("paths").size());
        assertEquals(2, merged.getJsonArray("tags").size());
    }

    @Test
    void everyOperationMayBeRateLimitedAtTheGateway() {
        JsonObject merged = OpenApiAggregate.base();
        OpenApiAggregate.merge(merged, "inventory", spec("/api/v1/units", "Line", "object"));
        JsonObject tooMany = merged.getJsonObject("paths").getJsonObject("/api/v1/units").getJsonObject("get")
                .getJsonObject("responses").getJsonObject("429");
        assertTrue(tooMany.getString("description").startsWith("RATE_LIMITED"));
        assertTrue(tooMany.getJsonObject("headers").containsKey("Retry-After"));
        assertEquals("#/components/schemas/Problem", tooMany.getJsonObject("content")
                .getJsonObject("application/problem+json").getJsonObject("schema").getString("$ref"));
    }
}
