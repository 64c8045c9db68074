package io.hemolink.contracts.events;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class EventsContractTest {

    private static final Pattern CE_TYPE = Pattern.compile("io\\.hemolink\\.[a-z-]+\\.[a-z-]+\\.v\\d+");

    @Test
    void everyEventTypeIsUniqueWellNamedAndOnAKnownTopic() {
        Set<String> seen = new HashSet<>();
        for (EventType<?> e : Events.all()) {
            assertTrue(seen.add(e.ceType()), "duplicate " + e.ceType());
            assertTrue(CE_TYPE.matcher(e.ceType()).matches(), e.ceType());
            assertTrue(Topics.all().contains(e.topic()), e.ceType() + " on unknown topic " + e.topic());
            assertTrue(e.payloadClass().isRecord(), e.ceType() + " payload is a record");
            assertEquals(e, Events.byCeType(e.ceType()).orElseThrow());
        }
        assertTrue(Events.byCeType("io.hemolink.nothing.v1").isEmpty());
    }

    @Test
    void onlyStockLevelsAreCompactedAndEveryTopicHasADeadLetterTopic() {
        for (String t : Topics.all()) {
            assertEquals(t.equals(Topics.STOCK_LEVELS), Topics.compacted(t), t);
            assertEquals(t + ".dlq", Topics.deadLetter(t));
        }
    }

    @Test
    void asyncApiDescribesEveryTopicEventAndField() throws Exception {
        String spec = Files.readString(Path.of("asyncapi.yaml"));
        for (String t : Topics.all()) {
            assertTrue(spec.contains("address: " + t + "\n"), "asyncapi.yaml lacks topic " + t);
        }
        for (EventType<?> e : Events.all()) {
            assertTrue(spec.contains("name: " + e.ceType() + "\n"), "asyncapi.yaml lacks " + e.ceType());
            String schema = section(spec, "    " + e.payloadClass().getSimpleName() + ":\n      type: object\n");
            for (var component : e.payloadClass().getRecordComponents()) {
                assertTrue(schema.contains("        " + component.getName() + ":\n"),
                        "asyncapi.yaml schema " + e.payloadClass().getSimpleName() + " lacks " + component.getName());
            }
        }
    }

    private static String section(String spec, String header) {
        int start = spec.indexOf(header);
        assertTrue(start >= 0, "asyncapi.yaml lacks schema " + header.trim());
        int end = spec.indexOf("\n    ", start + header.length());
        while (end >= 0 && spec.charAt(end + 5) == ' ') {
            end = spec.indexOf("\n    ", end + 1);
        }
        return end < 0 ? spec.substring(start) : spec.substring(start, end);
    }
}
