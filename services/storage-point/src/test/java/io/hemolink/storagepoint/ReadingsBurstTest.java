package io.hemolink.storagepoint;

import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.storage.TemperatureReadingBatch;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.sql.DataSource;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;

/** 10,000 readings in a burst, half over REST and half from a gateway on Kafka, each with duplicates: none lost, none twice. */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "storage_point"))
class ReadingsBurstTest {

    @Inject
    DataSource db;

    private int stored(String equipmentId) throws Exception {
        try (Connection c = db.getConnection();
             PreparedStatement ps = c.prepareStatement("select count(*) from temperature_reading where equipment_id = ?")) {
            ps.setString(1, equipmentId);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getInt(1);
            }
        }
    }

    @Test
    void tenThousandReadingsAreAllStoredOnce() throws Exception {
        String p = Sp.newPoint();
        String op = TestTokens.storagePointOperator(p);
        Instant start = Instant.now().minus(Duration.ofDays(4)).truncatedTo(ChronoUnit.SECONDS);

        // 5,000 fridge readings (every 30 s) over REST in batches of 1,000, sent out of order, the last batch twice
        List<String> batches = new ArrayList<>();
        for (int b = 0; b < 5; b++) {
            List<String> readings = new ArrayList<>();
            for (int i = 999; i >= 0; i--) {
                int n = b * 1000 + i;
                readings.add(Sp.reading(p + "-F1", start.plusSeconds(30L * n), 3.0 + (n % 20) / 10.0));
            }
            batches.add(Sp.batch(readings));
        }
        for (int b = 4; b >= 0; b--) {
            Sp.readings(p, op, batches.get(b)).statusCode(202).body("stored", equalTo(1000));
        }
        Sp.readings(p, op, batches.get(0)).statusCode(202).body("stored", equalTo(0)).body("duplicates", equalTo(1000));

        // 5,000 agitator readings from the gateway on Kafka, 10 batches of 500, one batch delivered again
        List<TemperatureReadingBatch> gateway = new ArrayList<>();
        for (int b = 0; b < 10; b++) {
            List<TemperatureReadingBatch.Reading> readings = new ArrayList<>();
            for (int i = 0; i < 500; i++) {
                int n = b * 500 + i;
                readings.add(new TemperatureReadingBatch.Reading(p + "-P1", start.plusSeconds(30L * n), 21.0 + (n % 30) / 10.0));
            }
            gateway.add(new TemperatureReadingBatch(p, readings));
        }
        for (TemperatureReadingBatch batch : gateway) {
            Sp.send(Events.TEMPERATURE_READINGS, p, batch);
        }
        Sp.send(Events.TEMPERATURE_READINGS, p, gateway.get(3));

        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (stored(p + "-P1") < 5000 && System.nanoTime() < deadline) {
            Sp.sleep(200);
        }
        Sp.sleep(1000);
        assertEquals(5000, stored(p + "-F1"));
        assertEquals(5000, stored(p + "-P1"));
        Instant last = start.plusSeconds(30L * 4999);
        assertEquals(last, Instant.parse(Sp.point(p).getString("equipment.find { it.id == '" + p + "-P1' }.lastReading.at")));
        assertEquals(last, Instant.parse(Sp.point(p).getString("equipment.find { it.id == '" + p + "-F1' }.lastReading.at")));
        assertEquals(0, Sp.point(p).getList("equipment.findAll { it.state == 'EXCURSION' }").size(),
                "every reading was in range");
    }
}
