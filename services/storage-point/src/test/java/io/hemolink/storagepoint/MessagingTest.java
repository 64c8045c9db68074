package io.hemolink.storagepoint;

import io.hemolink.common.kafka.CloudEventHeaders;
import io.hemolink.common.testing.KafkaProbe;
import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.Topics;
import io.hemolink.contracts.events.storage.TemperatureReadingBatch;
import io.hemolink.infra.InfraTestResource;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The Kafka inputs: a gateway's readings start excursions too; a poison event goes to the dead-letter topic. */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "storage_point"))
class MessagingTest {

    @Test
    void aGatewayBatchIsEvaluatedLikeARestBatchAndItsBadReadingsAreDropped() {
        String p = Sp.newPoint();
        String plt = Sp.receive(p, Component.PLT_AP, Abo.O, RhD.POS, 1, Instant.now().plus(Duration.ofDays(3)));
        Sp.await(p, j -> Sp.bags(j) == 1);
        Instant t = Instant.now().minus(Duration.ofMinutes(5)).truncatedTo(ChronoUnit.SECONDS);
        TemperatureReadingBatch batch = new TemperatureReadingBatch(p, List.of(
                new TemperatureReadingBatch.Reading(p + "-P1", t, 22.0),
                new TemperatureReadingBatch.Reading(p + "-P1", t.plusSeconds(60), 30.0),
                new TemperatureReadingBatch.Reading("SP01-P1", t.plusSeconds(60), 22.0),
                new TemperatureReadingBatch.Reading(p + "-P1", Instant.now().plus(Duration.ofDays(1)), 22.0)));
        Sp.send(Events.TEMPERATURE_READINGS, p, batch);
        JsonPath point = Sp.await(p, j -> "EXCURSION".equals(j.getString("equipment.find { it.id == '" + p + "-P1' }.state")));
        assertEquals("EXCURSION", point.getString("equipment.find { it.id == '" + p + "-P1' }.state"));
        assertEquals(t.plusSeconds(60), Instant.parse(point.getString("equipment.find { it.id == '" + p + "-P1' }.lastReading.at")),
                "the reading from the future was dropped");
        assertEquals(plt, Sp.events(Events.EXCURSION_DETECTED, p + "\"", 1, Duration.ofSeconds(15)).get(0)
                .unitsQuarantined().get(0).din());
    }

    @Test
    void aPoisonUnitMovedGoesToTheDeadLetterTopicAndTheNextEventStillArrives() {
        String p = Sp.newPoint();
        String marker = UUID.randomUUID().toString();
        KafkaProbe.send(Topics.UNITS, "poison", "{\"din\":\"" + marker + "\",\"component\":\"BLOOD\"}",
                CloudEventHeaders.ID, marker, CloudEventHeaders.TYPE, Events.UNIT_MOVED.ceType());
        Sp.receive(p, Component.RBC, Abo.A, RhD.POS, 1, Instant.now().plus(Duration.ofDays(3)));
        assertEquals(1, Sp.bags(Sp.await(p, j -> Sp.bags(j) == 1)));
        assertEquals(1, KafkaProbe.read(Topics.deadLetter(Topics.UNITS), r -> r.value().contains(marker), 1,
                Duration.ofSeconds(15)).size());
    }
}
