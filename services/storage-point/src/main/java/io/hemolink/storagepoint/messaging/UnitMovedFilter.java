package io.hemolink.storagepoint.messaging;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.hemolink.contracts.blood.LocationId;
import io.hemolink.contracts.events.inventory.MovementType;

import java.io.IOException;

/**
 * Which unit movements the storage-point service has any use for, decided from three fields of the raw payload
 * (read by Jackson's streaming parser, no binding, no transaction, no query): a movement from or to a storage
 * point (the units at the points) and a transfusion anywhere (transfusion history). Everything else, the bulk of
 * the topic (every release, reservation, dispatch and receipt of the station and the hospitals), is skipped.
 * <p>
 * Only a payload that clearly names two non-storage-point locations is skipped: one the filter cannot read, or
 * without a destination, goes to the normal path, where an unreadable event is dead-lettered as before.
 */
final class UnitMovedFilter {

    private static final JsonFactory JSON = new JsonFactory();

    private UnitMovedFilter() {
    }

    /** False only when {@code payload} is a movement between places that are not storage points, not a transfusion. */
    static boolean concernsStoragePoints(String payload) {
        String from = null;
        String to = null;
        String movement = null;
        try (JsonParser p = JSON.createParser(payload)) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                return true;
            }
            JsonToken t;
            while ((t = p.nextToken()) == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken value = p.nextToken();
                if (value == JsonToken.START_OBJECT || value == JsonToken.START_ARRAY) {
                    p.skipChildren();
                    continue;
                }
                switch (field) {
                    case "fromLocationId" -> from = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "toLocationId" -> to = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    case "movement" -> movement = value == JsonToken.VALUE_STRING ? p.getText() : null;
                    default -> {
                        // not needed for the decision
                    }
                }
            }
            if (t != JsonToken.END_OBJECT) {
                return true;
            }
        } catch (IOException | RuntimeException unreadable) {
            return true; // the normal path reads it again and dead-letters it
        }
        if (to == null || movement == null || MovementType.TRANSFUSED.name().equals(movement)) {
            return true;
        }
        return LocationId.isStoragePoint(to) || LocationId.isStoragePoint(from);
    }
}
