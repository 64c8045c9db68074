package io.hemolink.common.deadletter;

import io.hemolink.common.domain.DomainException;
import jakarta.enterprise.context.ApplicationScoped;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;
import org.eclipse.microprofile.config.Config;
import org.eclipse.microprofile.config.ConfigProvider;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dead-letter topics of the topics this service consumes (each incoming channel's
 * {@code dead-letter-queue.topic}), read for an operator and replayed on request: a replayed record goes back to
 * the topic it came from with its key, payload and headers (so its {@code ce_id} is the same and the idempotent
 * consumer applies it at most once), without the connector's {@code dead-letter-*} headers.
 */
@ApplicationScoped
public class DeadLetters {

    private static final Logger LOG = Logger.getLogger(DeadLetters.class);
    private static final Pattern DLQ_PROPERTY = Pattern.compile("mp\\.messaging\\.incoming\\.([^.]+)\\.dead-letter-queue\\.topic");
    private static final String HEADER_PREFIX = "dead-letter-";
    private static final Duration POLL = Duration.ofMillis(200);
    private static final Duration READ_TIMEOUT = Duration.ofSeconds(10);

    /** A header the connector recorded with the failure: why, and where the record was. */
    public static final String REASON = "dead-letter-reason";
    public static final String CAUSE = "dead-letter-cause";
    public static final String ORIGINAL_TOPIC = "dead-letter-topic";
    public static final String ORIGINAL_PARTITION = "dead-letter-partition";
    public static final String ORIGINAL_OFFSET = "dead-letter-offset";
    /** Set on a replayed record: the dead letter it was replayed from ({@code topic/partition/offset}). */
    public static final String REPLAYED_FROM = "hemolink-replayed-from";

    /** One dead-lettered record as the connector left it. */
    public record Letter(String topic, int partition, long offset, Instant timestamp, @org.eclipse.microprofile.openapi.annotations.media.Schema(nullable = true) String key,
                         @org.eclipse.microprofile.openapi.annotations.media.Schema(nullable = true) String originalTopic,
                         @org.eclipse.microprofile.openapi.annotations.media.Schema(nullable = true) Integer originalPartition,
                         @org.eclipse.microprofile.openapi.annotations.media.Schema(nullable = true) Long originalOffset,
                         @org.eclipse.microprofile.openapi.annotations.media.Schema(nullable = true) String reason,
                         @org.eclipse.microprofile.openapi.annotations.media.Schema(nullable = true) String cause,
                         Map<String, String> headers, @org.eclipse.microprofile.openapi.annotations.media.Schema(nullable = true) String payload) {
    }

    /** Where a replayed record went. */
    public record Replayed(String topic, int partition, long offset, String replayedTo, int replayedPartition,
                           long replayedOffset) {
    }

    @ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "localhost:9092")
    String bootstrapServers;

    /** Dead-letter topic → the topic it holds the failures of, for every channel of this service that has one. */
    public Map<String, String> topics() {
        Config config = ConfigProvider.getConfig();
        Map<String, String> topics = new TreeMap<>();
        for (String name : config.getPropertyNames()) {
            Matcher m = DLQ_PROPERTY.matcher(name);
            if (m.matches()) {
                String channel = m.group(1);
                Optional<String> dlq = config.getOptionalValue(name, String.class);
                String topic = config.getOptionalValue("mp.messaging.incoming." + channel + ".topic", String.class)
                        .orElse(channel);
                dlq.ifPresent(d -> topics.put(d, topic));
            }
        }
        return topics;
    }

    /**
     * The dead letters of {@code topic} (a consumed topic or its dead-letter topic; null for all of them), oldest
     * first per topic, at most {@code limit}.
     */
    public List<Letter> list(String topic, int limit) {
        List<String> dlqs = topic == null ? List.copyOf(topics().keySet()) : List.of(deadLetterTopic(topic));
        List<Letter> letters = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer()) {
            for (String dlq : dlqs) {
                if (letters.size() >= limit) {
                    break;
                }
                List<TopicPartition> partitions = partitions(consumer, dlq);
                if (partitions.isEmpty()) {
                    continue;
                }
                consumer.assign(partitions);
                consumer.seekToBeginning(partitions);
                Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
                List<Letter> found = new ArrayList<>();
                long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
                while (found.size() < limit - letters.size() && !reached(consumer, end) && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, String> r : consumer.poll(POLL)) {
                        if (found.size() < limit - letters.size()) {
                            found.add(letter(r));
                        }
                    }
                }
                found.sort(Comparator.comparingInt(Letter::partition).thenComparingLong(Letter::offset));
                letters.addAll(found);
            }
        }
        return letters;
    }

    /** The dead letter at {@code topic}/{@code partition}/{@code offset}; 404 when there is none. */
    public Letter get(String topic, int partition, long offset) {
        return letter(record(deadLetterTopic(topic), partition, offset));
    }

    /** Publishes the dead letter again to the topic it came from, with its key, payload and headers. */
    public Replayed replay(String topic, int partition, long offset, String actor) {
        String dlq = deadLetterTopic(topic);
        ConsumerRecord<String, String> dead = record(dlq, partition, offset);
        String target = Optional.ofNullable(header(dead, ORIGINAL_TOPIC)).orElse(topics().get(dlq));
        ProducerRecord<String, String> again = new ProducerRecord<>(target, dead.key(), dead.value());
        for (Header h : dead.headers()) {
            if (!h.key().startsWith(HEADER_PREFIX) && !h.key().equals(REPLAYED_FROM)) {
                again.headers().add(h);
            }
        }
        again.headers().add(REPLAYED_FROM, (dlq + "/" + partition + "/" + offset).getBytes(StandardCharsets.UTF_8));
        try (KafkaProducer<String, String> producer = producer()) {
            RecordMetadata sent = producer.send(again).get(20, TimeUnit.SECONDS);
            LOG.infof("%s replayed dead letter %s/%d/%d (event %s) to %s-%d@%d", actor, dlq, partition, offset,
                    header(dead, "ce_id"), target, sent.partition(), sent.offset());
            return new Replayed(dlq, partition, offset, target, sent.partition(), sent.offset());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while replaying " + dlq + "/" + partition + "/" + offset, e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not replay " + dlq + "/" + partition + "/" + offset + " to " + target, e);
        }
    }

    /**
     * Puts {@code record} on its topic's dead-letter topic with the headers the connector's dead-letter strategy
     * writes (reason, cause, where it was) beside its own: what a batch consumer does for the one poison event of a
     * poll ({@link io.hemolink.common.kafka.Consumers#processBatch}), so it reads and replays like any other.
     * Returns once the broker has it; a failure to send is thrown (the caller retries, nothing is lost).
     */
    public void deadLetter(ConsumerRecord<String, String> record, Throwable reason) {
        ProducerRecord<String, String> dead = new ProducerRecord<>(io.hemolink.contracts.events.Topics.deadLetter(
                record.topic()), record.key(), record.value());
        for (Header h : record.headers()) {
            dead.headers().add(h);
        }
        Throwable cause = reason.getCause();
        dead.headers().add(REASON, String.valueOf(reason.getMessage()).getBytes(StandardCharsets.UTF_8));
        if (cause != null && cause.getMessage() != null) {
            dead.headers().add(CAUSE, cause.getMessage().getBytes(StandardCharsets.UTF_8));
        }
        dead.headers().add(ORIGINAL_TOPIC, record.topic().getBytes(StandardCharsets.UTF_8));
        dead.headers().add(ORIGINAL_PARTITION, String.valueOf(record.partition()).getBytes(StandardCharsets.UTF_8));
        dead.headers().add(ORIGINAL_OFFSET, String.valueOf(record.offset()).getBytes(StandardCharsets.UTF_8));
        try {
            shared().send(dead).get(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while dead-lettering " + record.topic() + "-"
                    + record.partition() + "@" + record.offset(), e);
        } catch (ExecutionException | TimeoutException e) {
            throw new IllegalStateException("could not dead-letter " + record.topic() + "-" + record.partition() + "@"
                    + record.offset(), e);
        }
    }

    private volatile KafkaProducer<String, String> shared;

    private synchronized KafkaProducer<String, String> shared() {
        if (shared == null) {
            shared = producer();
        }
        return shared;
    }

    @jakarta.annotation.PreDestroy
    synchronized void close() {
        if (shared != null) {
            shared.close(Duration.ofSeconds(5));
            shared = null;
        }
    }

    private KafkaProducer<String, String> producer() {
        return new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ProducerConfig.ACKS_CONFIG, "all",
                ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true,
                ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 15_000,
                ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ProducerConfig.MAX_BLOCK_MS_CONFIG, 10_000,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName()));
    }

    /** The dead-letter topic named by {@code topic} (itself, or the consumed topic it belongs to); 404 otherwise. */
    String deadLetterTopic(String topic) {
        Map<String, String> topics = topics();
        if (topics.containsKey(topic)) {
            return topic;
        }
        return topics.entrySet().stream().filter(e -> e.getValue().equals(topic)).map(Map.Entry::getKey).findFirst()
                .orElseThrow(() -> DomainException.notFound("dead-letter topic of " + topic));
    }

    private ConsumerRecord<String, String> record(String dlq, int partition, long offset) {
        try (KafkaConsumer<String, String> consumer = consumer()) {
            TopicPartition tp = new TopicPartition(dlq, partition);
            if (partitions(consumer, dlq).stream().noneMatch(tp::equals) || offset < 0) {
                throw DomainException.notFound("dead letter " + dlq + "/" + partition + "/" + offset);
            }
            consumer.assign(List.of(tp));
            long end = consumer.endOffsets(List.of(tp)).get(tp);
            long begin = consumer.beginningOffsets(List.of(tp)).get(tp);
            if (offset >= end || offset < begin) {
                throw DomainException.notFound("dead letter " + dlq + "/" + partition + "/" + offset);
            }
            consumer.seek(tp, offset);
            long deadline = System.nanoTime() + READ_TIMEOUT.toNanos();
            while (System.nanoTime() < deadline && consumer.position(tp) <= offset) {
                for (ConsumerRecord<String, String> r : consumer.poll(POLL)) {
                    if (r.offset() == offset) {
                        return r;
                    }
                }
            }
            throw DomainException.notFound("dead letter " + dlq + "/" + partition + "/" + offset);
        }
    }

    private static boolean reached(KafkaConsumer<String, String> consumer, Map<TopicPartition, Long> end) {
        return end.entrySet().stream().allMatch(e -> consumer.position(e.getKey()) >= e.getValue());
    }

    private static List<TopicPartition> partitions(KafkaConsumer<String, String> consumer, String topic) {
        List<PartitionInfo> infos = consumer.partitionsFor(topic, Duration.ofSeconds(10));
        return infos == null ? List.of() : infos.stream().map(p -> new TopicPartition(p.topic(), p.partition())).toList();
    }

    private KafkaConsumer<String, String> consumer() {
        return new KafkaConsumer<>(Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                ConsumerConfig.GROUP_ID_CONFIG, "dead-letters-" + UUID.randomUUID(),
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false,
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest",
                ConsumerConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                ConsumerConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName()));
    }

    private static Letter letter(ConsumerRecord<String, String> r) {
        Map<String, String> ce = new LinkedHashMap<>();
        for (Header h : r.headers()) {
            if (!h.key().startsWith(HEADER_PREFIX) && h.value() != null) {
                ce.put(h.key(), new String(h.value(), StandardCharsets.UTF_8));
            }
        }
        return new Letter(r.topic(), r.partition(), r.offset(), Instant.ofEpochMilli(r.timestamp()), r.key(),
                header(r, ORIGINAL_TOPIC), integer(header(r, ORIGINAL_PARTITION)), longValue(header(r, ORIGINAL_OFFSET)),
                header(r, REASON), header(r, CAUSE), ce, r.value());
    }

    private static Integer integer(String s) {
        try {
            return s == null ? null : Integer.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static Long longValue(String s) {
        try {
            return s == null ? null : Long.valueOf(s);
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String header(ConsumerRecord<String, String> r, String name) {
        Header h = r.headers().lastHeader(name);
        return h == null || h.value() == null ? null : new String(h.value(), StandardCharsets.UTF_8);
    }
}
