package io.hemolink.common.testapp;

import io.hemolink.contracts.events.EventType;

/** A test-only event type: the common runtime is generic over the contract's event types. */
public final class ThingEvents {

    public static final String TOPIC = "hemolink.test.things";

    public record ThingHappened(String thingKey, int position, String name) {
    }

    public static final EventType<ThingHappened> THING_HAPPENED =
            new EventType<>(TOPIC, "io.hemolink.test.thing-happened.v1", ThingHappened.class);

    private ThingEvents() {
    }
}
