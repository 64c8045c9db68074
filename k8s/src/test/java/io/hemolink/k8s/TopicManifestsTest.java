package io.hemolink.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import io.hemolink.common.kafka.KafkaTopicsConfig;
import io.hemolink.contracts.events.Topics;
import io.smallrye.config.WithDefault;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The KafkaTopics of k8s/base/kafka/topics.yaml against the code: one per topic of {@link Topics} and one per
 * dead-letter topic ({@link Topics#deadLetter}), nothing else; the partitions and configs the services give a topic
 * they create themselves (TopicBootstrap, switched off on Kubernetes); and every topic a service consumes or
 * dead-letters to (its application.properties) is among them.
 */
class TopicManifestsTest {

    private static final String TOPICS = "base/kafka/topics.yaml";
    /** What TopicBootstrap gives every dead-letter topic (not configurable there). */
    private static final int DEAD_LETTER_PARTITIONS = 1;
    private static final Pattern INCOMING = Pattern.compile("mp\\.messaging\\.incoming\\.([^.]+)\\.(topic|dead-letter-queue\\.topic)");

    private static Map<String, JsonNode> kafkaTopics() {
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        for (JsonNode t : Manifests.ofKind("KafkaTopic", TOPICS)) {
            String name = t.path("spec").path("topicName").asText(t.path("metadata").path("name").asText());
            assertFalse(byName.containsKey(name), "two KafkaTopics for " + name);
            byName.put(name, t);
        }
        return byName;
    }

    @Test
    void everyTopicOfTheContractAndItsDeadLetterTopicHasAKafkaTopicAndNothingElseDoes() {
        Set<String> expected = new TreeSet<>();
        for (String topic : Topics.all()) {
            expected.add(topic);
            expected.add(Topics.deadLetter(topic));
        }
        Set<String> actual = new TreeSet<>(kafkaTopics().keySet());
        Set<String> missing = new TreeSet<>(expected);
        missing.removeAll(actual);
        Set<String> extra = new TreeSet<>(actual);
        extra.removeAll(expected);
        assertTrue(missing.isEmpty(), "topics of Topics (or their .dlq) without a KafkaTopic in " + TOPICS + ": " + missing);
        assertTrue(extra.isEmpty(), "KafkaTopics in " + TOPICS + " that are no topic of Topics nor its .dlq: " + extra);
    }

    @Test
    void partitionsAreThoseTheServicesGiveTheTopicsTheyCreate() throws Exception {
        int partitions = Integer.parseInt(KafkaTopicsConfig.class.getMethod("partitions").getAnnotation(WithDefault.class).value());
        Map<String, JsonNode> topics = kafkaTopics();
        for (String topic : Topics.all()) {
            assertEquals(partitions, topics.get(topic).path("spec").path("partitions").asInt(-1),
                    topic + ": partitions (hemolink.kafka.partitions)");
            assertEquals(DEAD_LETTER_PARTITIONS, topics.get(Topics.deadLetter(topic)).path("spec").path("partitions").asInt(-1),
                    Topics.deadLetter(topic) + ": partitions");
        }
    }

    @Test
    void exactlyTheCompactedTopicsOfTheContractAreCompacted() {
        Map<String, JsonNode> topics = kafkaTopics();
        for (var e : topics.entrySet()) {
            String policy = e.getValue().path("spec").path("config").path("cleanup.policy").asText("delete");
            boolean compacted = Topics.all().contains(e.getKey()) && Topics.compacted(e.getKey());
            assertEquals(compacted ? "compact" : "delete", policy, e.getKey() + ": cleanup.policy");
        }
        JsonNode stock = topics.get(Topics.STOCK_LEVELS).path("spec").path("config");
        // TopicBootstrap's: every level may be compacted at once, segments roll every 10 minutes
        assertEquals(0, stock.path("min.compaction.lag.ms").asLong(-1), "min.compaction.lag.ms");
        assertEquals(600_000, stock.path("segment.ms").asLong(-1), "segment.ms");
    }

    @Test
    void everyTopicAServiceConsumesOrDeadLettersToHasAKafkaTopicAndTheDeadLetterTopicIsTheContracts() {
        Map<String, JsonNode> topics = kafkaTopics();
        int seen = 0;
        for (String service : Manifests.SERVICES) {
            Map<String, String> props = Manifests.applicationProperties(service);
            Map<String, String> topicOf = new LinkedHashMap<>();
            Map<String, String> deadLetterOf = new LinkedHashMap<>();
            for (var e : props.entrySet()) {
                Matcher m = INCOMING.matcher(e.getKey());
                if (m.matches()) {
                    (m.group(2).equals("topic") ? topicOf : deadLetterOf).put(m.group(1), e.getValue());
                }
            }
            for (var e : topicOf.entrySet()) {
                assertTrue(topics.containsKey(e.getValue()), service + " consumes " + e.getValue() + ", which has no KafkaTopic");
                String dlq = deadLetterOf.get(e.getKey());
                assertEquals(Topics.deadLetter(e.getValue()), dlq, service + " channel " + e.getKey() + ": dead-letter topic");
                assertTrue(topics.containsKey(dlq), service + " dead-letters to " + dlq + ", which has no KafkaTopic");
                seen++;
            }
        }
        assertTrue(seen >= 10, "the services' channels were not found (" + seen + ")");
    }

    @Test
    void everyKafkaTopicBelongsToTheClusterAndIsNamedAsItsTopic() {
        List<JsonNode> kafkas = Manifests.ofKind("Kafka", "base/kafka/kafka.yaml");
        assertEquals(1, kafkas.size(), "one Kafka");
        String cluster = kafkas.get(0).path("metadata").path("name").asText();
        for (var e : kafkaTopics().entrySet()) {
            assertEquals(cluster, e.getValue().path("metadata").path("labels").path("strimzi.io/cluster").asText(), e.getKey());
            assertEquals(e.getKey(), e.getValue().path("metadata").path("name").asText(), "metadata.name of " + e.getKey());
        }
        Set<String> replicas = kafkaTopics().values().stream().map(t -> t.path("spec").path("replicas").asText())
                .collect(Collectors.toSet());
        assertEquals(Set.of("3"), replicas, "the base's replicas (overlays/local patches them to 1)");
    }
}
