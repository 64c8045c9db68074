package io.hemolink.notification.messaging;

import io.hemolink.notification.domain.Deliveries.Audience;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Who receives an event naming a location (tenancy): never everyone unless the event names the region. */
class AudienceTest {

    @Test
    void aLocationGoesToItAndTheStationTheRegionToEveryoneNothingToTheStationOnly() {
        assertEquals(new Audience(List.of("H001", "STATION"), false), WebhookEvents.audience("H001"));
        assertEquals(new Audience(List.of("SP01", "STATION"), false), WebhookEvents.audience("SP01"));
        assertEquals(new Audience(List.of("STATION"), false), WebhookEvents.audience("STATION"));
        assertEquals(new Audience(List.of(), true), WebhookEvents.audience("REGION"));
        assertEquals(new Audience(List.of("STATION"), false), WebhookEvents.audience(null),
                "an event without a location is never sent to every hospital");
    }
}
