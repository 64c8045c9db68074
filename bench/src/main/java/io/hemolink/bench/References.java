package io.hemolink.bench;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * What the platform's figures are measured against, on the same broker and database server at the same moment:
 * a Kafka round trip through two hops (produce to A, a relay consumes A and produces to B, a reader consumes B, as
 * an order's allocation crosses order → inventory → order) and a PostgreSQL commit over JDBC. Both leave nothing
 * behind (their topics and database are deleted).
 */
final class References {

    static final String KAFKA = "localhost:9092";
    static final String POSTGRES = "jdbc:postgresql://localhost:15432/";

    private References() {
    }

    /** {@code count} messages at {@code perSecond}, each timed from its send to its arrival after two hops. */
    static Stats kafkaTwoHops(int count, int perSecond) throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String a = "bench.ref-a." + run;
        String b = "bench.ref-b." + run;
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", KAFKA))) {
            admin.createTopics(List.of(new NewTopic(a, 1, (short) 1), new NewTopic(b, 1, (short) 1))).all().get();
            Map<String, Long> sent = new ConcurrentHashMap<>();
            List<Double> latencies = java.util.Collections.synchronizedList(new ArrayList<>());
            AtomicBoolean stop = new AtomicBoolean();
            AtomicBoolean relayReady = new AtomicBoolean();
            AtomicBoolean readerReady = new AtomicBoolean();
            Thread relay = new Thread(() -> {
                try (KafkaConsumer<String, String> in = consumer(a); KafkaProducer<String, String> out = producer()) {
                    while (!stop.get()) {
                        for (ConsumerRecord<String, String> r : in.poll(Duration.ofMillis(5))) {
                            out.send(new ProducerRecord<>(b, r.key(), r.value()));
                        }
                        relayReady.set(!in.assignment().isEmpty());
                    }
                }
            }, "ref-relay");
            Thread reader = new Thread(() -> {
                try (KafkaConsumer<String, String> in = consumer(b)) {
                    while (!stop.get()) {
                        for (ConsumerRecord<String, String> r : in.poll(Duration.ofMillis(5))) {
                            Long t = sent.remove(r.key());
                            if (t != null) {
                                latencies.add((System.nanoTime() - t) / 1e6);
                            }
                        }
                        readerReady.set(!in.assignment().isEmpty());
                    }
                }
            }, "ref-reader");
            relay.start();
            reader.start();
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (!(relayReady.get() && readerReady.get()) && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            try (KafkaProducer<String, String> p = producer()) {
                // a warm-up the figures do not count
                for (int i = 0; i < 50; i++) {
                    p.send(new ProducerRecord<>(a, "warm-" + i, "x"));
                }
                p.flush();
                Thread.sleep(500);
                long interval = 1_000_000_000L / perSecond;
                long next = System.nanoTime();
                for (int i = 0; i < count; i++) {
                    String key = "k" + i;
                    sent.put(key, System.nanoTime());
                    p.send(new ProducerRecord<>(a, key, "{\"i\":" + i + "}"));
                    next += interval;
                    Pacing.sleepUntil(next);
                }
            }
            deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (latencies.size() < count && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            stop.set(true);
            relay.join();
            reader.join();
            admin.deleteTopics(List.of(a, b)).all().get();
            return new Stats(latencies);
        }
    }

    private static KafkaProducer<String, String> producer() {
        // as the outbox relay sends: acks=all, idempotent, no linger
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.LINGER_MS_CONFIG, 0,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
    }

    private static KafkaConsumer<String, String> consumer(String topic) {
        KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, KAFKA,
                ConsumerConfig.GROUP_ID_CONFIG, "bench-ref-" + UUID.randomUUID(),
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()));
        c.subscribe(List.of(topic));
        return c;
    }

    /** {@code count} one-row inserts, each its own transaction, timed from the insert to the commit's return. */
    static Stats postgresCommit(int count) throws Exception {
        String db = "hemolink_bench_ref";
        try (Connection admin = DriverManager.getConnection(POSTGRES + "postgres", "postgres", "")) {
            try (Statement st = admin.createStatement()) {
                st.execute("drop database if exists " + db);
                st.execute("create database " + db);
            }
            List<Double> latencies = new ArrayList<>();
            try (Connection c = DriverManager.getConnection(POSTGRES + db, "postgres", "")) {
                try (Statement st = c.createStatement()) {
                    st.execute("create table ref (id bigserial primary key, at timestamptz not null, note text)");
                }
                c.setAutoCommit(false);
                try (PreparedStatement insert = c.prepareStatement("insert into ref (at, note) values (now(), ?)")) {
                    for (int i = 0; i < count + 100; i++) {
                        long t = System.nanoTime();
                        insert.setString(1, "row " + i);
                        insert.executeUpdate();
                        c.commit();
                        if (i >= 100) { // the first hundred warm up
                            latencies.add((System.nanoTime() - t) / 1e6);
                        }
                    }
                }
            }
            try (Statement st = admin.createStatement()) {
                st.execute("drop database " + db);
            }
            return new Stats(latencies);
        }
    }
}
