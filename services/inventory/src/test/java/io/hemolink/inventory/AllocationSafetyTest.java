package io.hemolink.inventory;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hemolink.common.kafka.CloudEventHeaders;
import io.hemolink.contracts.blood.Abo;
import io.hemolink.contracts.blood.BloodGroup;
import io.hemolink.contracts.blood.Component;
import io.hemolink.contracts.blood.Priority;
import io.hemolink.contracts.blood.ProductClass;
import io.hemolink.contracts.blood.Requirements;
import io.hemolink.contracts.blood.RhD;
import io.hemolink.contracts.blood.UnitAttributes;
import io.hemolink.contracts.compat.CompatibilityTable;
import io.hemolink.contracts.events.Events;
import io.hemolink.contracts.events.Topics;
import io.hemolink.contracts.events.order.OrderLine;
import io.hemolink.contracts.events.order.OrderSubmitted;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestInfrastructure;
import io.hemolink.infra.TestTokens;
import io.hemolink.inventory.config.InventoryConfig;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;

import static io.hemolink.inventory.UnitsApiTest.newDin;
import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * The randomized safety check of issue 14: hundreds of random releases (groups, attributes, expiries, quarantines)
 * and hundreds of random orders (priorities, requirements, substitution or not) through the real consumer, then
 * every allocated bag against the rules, written here again from domain.md and api.md rather than taken from the
 * allocator: the ABO/RhD table with its low-titre rule, every special requirement, never expired nor unusable by the
 * time the order is due, never quarantined, whole bags, no bag twice, and first expiry first out among the bags that
 * qualified when it was taken. Fixed seed; fails on the first violation with the case that broke it.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "inventory"))
class AllocationSafetyTest {

    private static final long SEED = 20261201L;
    private static final int RELEASES = 400;
    private static final int ORDERS = 500;
    private static final List<String> ANTIGENS = List.of("K", "E", "c", "Fya", "Jka");
    private static final Component[] COMPONENTS = {Component.RBC_LR, Component.RBC_LR, Component.RBC_W, Component.PLT_AP,
            Component.FFP};
    private static final Duration TOLERANCE = Duration.ofMinutes(1);

    @Inject
    ObjectMapper mapper;

    @Inject
    EntityManager em;

    @Inject
    InventoryConfig config;

    private final CompatibilityTable table = CompatibilityTable.defaults();

    @AfterEach
    void closeOpenLines() {
        QuarkusTransaction.requiringNew().run(() ->
                em.createNativeQuery("update demand_line set closed_at = now() where closed_at is null").executeUpdate());
    }

    private static Abo abo(Random r) {
        int x = r.nextInt(100); // roughly the Han Chinese ABO frequencies
        return x < 30 ? Abo.O : x < 58 ? Abo.A : x < 90 ? Abo.B : Abo.AB;
    }

    private static RhD rhd(Random r) {
        return r.nextInt(100) < 15 ? RhD.NEG : RhD.POS; // over-represented so that RhD-negative rules are exercised
    }

    private static List<String> someAntigens(Random r, int max) {
        Set<String> out = new HashSet<>();
        int n = r.nextInt(max + 1);
        for (int i = 0; i < n; i++) {
            out.add(ANTIGENS.get(r.nextInt(ANTIGENS.size())));
        }
        return List.copyOf(out);
    }

    @Test
    void everyAllocatedBagMeetsEveryRule() throws Exception {
        Random random = new Random(SEED);
        Set<String> quarantined = new HashSet<>();
        for (int i = 0; i < RELEASES; i++) {
            Component c = COMPONENTS[random.nextInt(COMPONENTS.length)];
            ProductClass pc = c.productClass();
            boolean cellular = pc != ProductClass.PLASMA;
            UnitAttributes a = new UnitAttributes(cellular && random.nextInt(100) < 25, cellular && random.nextInt(100) < 25,
                    pc != ProductClass.RED_CELLS && random.nextInt(100) < 35,
                    pc == ProductClass.RED_CELLS ? someAntigens(random, 3) : List.of(), null);
            long lifeMinutes = c.shelfLife().toMinutes();
            // collected anywhere in the first 95 % of the shelf life: some bags expire within hours
            Instant collected = Instant.now().minus(Duration.ofMinutes((long) (lifeMinutes * 0.95 * random.nextDouble())))
                    .truncatedTo(ChronoUnit.SECONDS);
            int quantity = pc == ProductClass.PLASMA ? 100 * (1 + random.nextInt(3)) : pc == ProductClass.RED_CELLS
                    ? 1 + random.nextInt(2) : 1;
            String din = newDin();
            String body = "{\"din\":\"" + din + "\",\"component\":\"" + c + "\",\"abo\":\"" + abo(random)
                    + "\",\"rhd\":\"" + rhd(random) + "\",\"volumeMl\":" + (pc == ProductClass.PLASMA ? quantity : 200 * quantity)
                    + ",\"quantity\":" + quantity + ",\"collectedAt\":\"" + collected + "\",\"irradiated\":" + a.irradiated()
                    + ",\"cmvNegative\":" + a.cmvNegative() + ",\"lowTitre\":" + a.lowTitre() + ",\"antigenNegative\":"
                    + mapper.writeValueAsString(a.antigenNegative()) + "}";
            given().auth().oauth2(TestTokens.dispatcher()).contentType("application/json").body(body).post("/api/v1/units")
                    .then().statusCode(201);
            if (random.nextInt(100) < 10) {
                given().auth().oauth2(TestTokens.dispatcher()).contentType("application/json")
                        .body("{\"type\":\"QUARANTINED\",\"reason\":\"random hold\",\"occurredAt\":\"" + Instant.now()
                                .truncatedTo(ChronoUnit.SECONDS) + "\"}")
                        .post("/api/v1/units/" + din + "/" + c + "/events").then().statusCode(201);
                quarantined.add(din);
            }
        }

        Map<String, OrderSubmitted> orders = new HashMap<>();
        String run = UUID.randomUUID().toString().substring(0, 8);
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(Map.of(
                "bootstrap.servers", TestInfrastructure.kafkaBootstrapServers(),
                "key.serializer", StringSerializer.class.getName(), "value.serializer", StringSerializer.class.getName()))) {
            for (int i = 0; i < ORDERS; i++) {
                Priority priority = Priority.values()[random.nextInt(3)];
                Component c = COMPONENTS[random.nextInt(COMPONENTS.length)];
                ProductClass pc = c.productClass();
                boolean cellular = pc != ProductClass.PLASMA;
                OrderLine line = new OrderLine(1, c, abo(random), rhd(random),
                        pc == ProductClass.PLASMA ? 100 * (1 + random.nextInt(4)) : 1 + random.nextInt(2),
                        cellular && random.nextInt(100) < 20, cellular && random.nextInt(100) < 15,
                        pc != ProductClass.RED_CELLS && random.nextInt(100) < 10,
                        pc == ProductClass.RED_CELLS && random.nextInt(100) < 20 ? someAntigens(random, 2) : List.of());
                Instant now = Instant.now();
                Duration due = switch (priority) {
                    case EMERGENCY -> Duration.ofHours(1);
                    case URGENT -> Duration.ofHours(4);
                    case ROUTINE -> Duration.ofHours(18);
                };
                OrderSubmitted order = new OrderSubmitted("SAFE-" + run + "-" + i, "H00" + (1 + random.nextInt(3)), priority,
                        null, now.plus(due), priority == Priority.EMERGENCY || random.nextBoolean(), List.of(line), now,
                        "safety-test");
                orders.put(order.orderId(), order);
                ProducerRecord<String, String> record = new ProducerRecord<>(Topics.ORDERS, order.orderId(),
                        mapper.writeValueAsString(order));
                record.headers().add(CloudEventHeaders.ID, UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
                record.headers().add(CloudEventHeaders.TYPE, Events.ORDER_SUBMITTED.ceType().getBytes(StandardCharsets.UTF_8));
                record.headers().add(CloudEventHeaders.SPEC_VERSION, "1.0".getBytes(StandardCharsets.UTF_8));
                producer.send(record);
            }
            producer.flush();
        }
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        long recorded = 0;
        while (System.nanoTime() < deadline && recorded < ORDERS) {
            Thread.sleep(250);
            recorded = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery(
                    "select count(distinct order_id) from demand_line where order_id like ?1 and not pending")
                    .setParameter(1, "SAFE-" + run + "-%").getSingleResult()).longValue());
        }
        assertEquals(ORDERS, recorded, "every order was taken in and allocated by its lane (ADR 0025)");
        check(run, orders, quarantined);
    }

    /** A station bag as the check sees it, with the ledger id of its reservation (null when never reserved). */
    record Bag(long id, String din, Component component, Abo abo, RhD rhd, int quantity, Instant expiresAt, String status,
               String location, String orderId, UnitAttributes attributes, Long reservedAt, Instant reservedTime) {
        BloodGroup group() {
            return BloodGroup.of(abo, rhd);
        }
    }

    private void check(String run, Map<String, OrderSubmitted> orders, Set<String> quarantined) {
        List<Bag> bags = QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery("""
                    select u.id, u.din, u.component, u.abo, u.rhd, u.quantity, u.expires_at, u.status, u.location_id,
                           u.order_id, u.irradiated, u.cmv_negative, u.low_titre, array_to_string(u.antigen_negative, ','),
                           (select max(m.id) from unit_movement m where m.unit_id = u.id and m.type = 'RESERVED'),
                           (select max(m.recorded_at) from unit_movement m where m.unit_id = u.id and m.type = 'RESERVED')
                    from unit u where u.location_id = 'STATION'""").getResultList();
            List<Bag> out = new ArrayList<>();
            for (Object[] r : rows) {
                String antigens = (String) r[13];
                out.add(new Bag(((Number) r[0]).longValue(), ((String) r[1]).strip(), Component.valueOf((String) r[2]),
                        Abo.valueOf((String) r[3]), RhD.valueOf((String) r[4]), ((Number) r[5]).intValue(),
                        io.hemolink.common.db.SqlValues.instant(r[6]), (String) r[7], (String) r[8], (String) r[9],
                        new UnitAttributes((Boolean) r[10], (Boolean) r[11], (Boolean) r[12],
                                antigens == null || antigens.isEmpty() ? List.of() : List.of(antigens.split(",")), null),
                        r[14] == null ? null : ((Number) r[14]).longValue(), io.hemolink.common.db.SqlValues.instant(r[15])));
            }
            return out;
        });
        Map<String, List<Bag>> byOrder = new HashMap<>();
        for (Bag b : bags) {
            if ("RESERVED".equals(b.status()) && b.orderId() != null && orders.containsKey(b.orderId())) {
                byOrder.computeIfAbsent(b.orderId(), k -> new ArrayList<>()).add(b);
            }
            if (quarantined.contains(b.din()) && !"QUARANTINED".equals(b.status())) {
                fail("quarantined bag " + b.din() + " is " + b.status() + (b.orderId() == null ? "" : " for " + b.orderId()));
            }
        }
        int checked = 0;
        int full = 0;
        int partial = 0;
        int waiting = 0;
        for (OrderSubmitted order : orders.values()) {
            OrderLine line = order.lines().get(0);
            List<Bag> given = byOrder.getOrDefault(order.orderId(), List.of());
            int sum = given.stream().mapToInt(Bag::quantity).sum();
            if (given.isEmpty()) {
                waiting++;
            } else if (sum >= line.quantity()) {
                full++;
            } else {
                partial++;
            }
            // whole bags, each one needed when it was taken: without the last one taken the line would be short
            Bag last = given.stream().max(java.util.Comparator.comparing(Bag::reservedAt)).orElse(null);
            if (last != null && sum - last.quantity() >= line.quantity()) {
                fail(order.orderId() + " got more whole bags than it needs: " + given);
            }
            for (Bag b : given) {
                checked++;
                String why = violation(order, line, b);
                if (why != null) {
                    fail("bag " + b.din() + " " + b.component() + " " + b.group() + " " + b.attributes() + " expiring "
                            + b.expiresAt() + " to " + order.priority() + " order " + order.orderId() + " line " + line
                            + " (substitution " + order.allowSubstitution() + ", due " + order.dueBy() + "): " + why);
                }
                for (Bag q : bags) {
                    String better = betterChoice(order, line, b, q, quarantined);
                    if (better != null) {
                        fail("first expiry first out broken for " + order.orderId() + " line " + line + ": it got "
                                + b.din() + " " + b.group() + " expiring " + b.expiresAt() + " while " + q.din() + " "
                                + q.group() + " " + q.attributes() + " expiring " + q.expiresAt() + " was free and "
                                + better);
                    }
                }
            }
        }
        System.out.printf("allocation safety (seed %d): %d releases (%d quarantined), %d orders: %d filled, %d partly,"
                        + " %d waiting; %d bags checked against every rule, 0 violations%n", SEED, RELEASES,
                quarantined.size(), ORDERS, full, partial, waiting, checked);
        if (checked < 100) {
            fail("too few bags allocated (" + checked + ") for the check to mean anything");
        }
    }

    /** The bag's rank for the line: lower is preferred; null when the line may not have it at all. */
    private Integer rank(OrderSubmitted order, OrderLine line, Bag b) {
        if (b.component() != line.component()) {
            return null;
        }
        BloodGroup patient = BloodGroup.of(line.abo(), line.rhd());
        ProductClass pc = line.component().productClass();
        if (!order.allowSubstitution()) {
            return b.group().equals(patient) ? 0 : null;
        }
        List<CompatibilityTable.DonorOption> options = table.donorOptions(pc, patient);
        for (int i = 0; i < options.size(); i++) {
            CompatibilityTable.DonorOption o = options.get(i);
            if (o.group().equals(b.group())) {
                if (o.lowTitreOnly() && !b.attributes().lowTitre()) {
                    return null;
                }
                if (pc == ProductClass.PLASMA) {
                    // both RhD of one ABO are one choice
                    return (int) options.stream().map(x -> x.group().abo()).distinct().takeWhile(a -> a != b.abo()).count();
                }
                return i + 1;
            }
        }
        return null;
    }

    private Instant usableUntil(OrderSubmitted order, Instant at) {
        Duration min = switch (order.priority()) {
            case ROUTINE -> config.allocation().minRemaining().routine();
            case URGENT -> config.allocation().minRemaining().urgent();
            case EMERGENCY -> config.allocation().minRemaining().emergency();
        };
        Duration cap = order.lines().get(0).component().shelfLife().dividedBy(5);
        Instant byLife = at.plus(min.compareTo(cap) > 0 ? cap : min);
        Instant byDue = order.dueBy().plus(config.allocation().dueMargin());
        return byDue.isAfter(byLife) ? byDue : byLife;
    }

    private String violation(OrderSubmitted order, OrderLine line, Bag b) {
        if (rank(order, line, b) == null) {
            return "not compatible with a " + BloodGroup.of(line.abo(), line.rhd()) + " patient by table "
                    + table.version() + (order.allowSubstitution() ? "" : " without substitution");
        }
        Requirements asked = line.requirements();
        if (!asked.metBy(b.attributes())) {
            return "lacks " + asked.unmetBy(b.attributes());
        }
        if (!b.expiresAt().isAfter(b.reservedTime())) {
            return "expired when taken";
        }
        if (b.expiresAt().plus(TOLERANCE).isBefore(usableUntil(order, b.reservedTime()))) {
            return "not usable long enough: needed until " + usableUntil(order, b.reservedTime());
        }
        return null;
    }

    /** Why {@code q} should have been taken instead of {@code b}, or null. */
    private String betterChoice(OrderSubmitted order, OrderLine line, Bag b, Bag q, Set<String> quarantined) {
        if (q.id() == b.id() || quarantined.contains(q.din())) {
            return null;
        }
        boolean freeThen = ("AVAILABLE".equals(q.status()) && (q.reservedAt() == null || q.reservedAt() < b.reservedAt()))
                || ("RESERVED".equals(q.status()) && q.reservedAt() != null && q.reservedAt() > b.reservedAt());
        if (!freeThen || "AVAILABLE".equals(q.status()) && q.reservedAt() != null) {
            return null; // given back after an earlier reservation: not provably free at that moment
        }
        if (!"AVAILABLE".equals(q.status()) && !"RESERVED".equals(q.status())) {
            return null;
        }
        Integer qRank = rank(order, line, q);
        Integer bRank = rank(order, line, b);
        if (qRank == null || !line.requirements().metBy(q.attributes())) {
            return null;
        }
        Instant needed = usableUntil(order, b.reservedTime());
        if (q.expiresAt().isBefore(needed.plus(TOLERANCE))) {
            return null; // too short-lived for the line (or too close to the limit to tell)
        }
        Duration release = config.allocation().rhdNegativeRelease();
        boolean rhdRelease = order.allowSubstitution() && line.rhd() == RhD.POS
                && line.component().productClass() != ProductClass.PLASMA;
        boolean qFirst = rhdRelease && q.abo() == line.abo() && q.rhd() == RhD.NEG
                && q.expiresAt().isBefore(b.reservedTime().plus(release).minus(TOLERANCE));
        boolean bFirst = rhdRelease && b.abo() == line.abo() && b.rhd() == RhD.NEG
                && b.expiresAt().isBefore(b.reservedTime().plus(release).plus(TOLERANCE));
        if (bFirst) {
            return qFirst && q.expiresAt().isBefore(b.expiresAt().minus(TOLERANCE))
                    ? "is an RhD-negative bag of the same ABO expiring sooner" : null;
        }
        if (qFirst) {
            return "is an RhD-negative bag of the same ABO expiring within " + release + ", which goes first";
        }
        if (qRank < bRank) {
            return "its group comes earlier in the table";
        }
        if (qRank.equals(bRank) && q.expiresAt().isBefore(b.expiresAt().minus(TOLERANCE))) {
            return "it expires first";
        }
        return null;
    }
}
