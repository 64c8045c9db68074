package io.hemolink.common.kafka;

import io.hemolink.contracts.events.Topics;
import io.quarkus.runtime.StartupEvent;
import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.errors.TopicExistsException;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Creates the contract's topics (and their dead-letter topics) if they are missing, before the consumers start:
 * stock levels compacted, so a new subscriber reads a full picture. In production the topics are managed
 * (Strimzi KafkaTopic) and this is switched off with {@code hemolink.kafka.create-topics=false}.
 */
@ApplicationScoped
public class TopicBootstrap {

    private static final Logger LOG = Logger.getLogger(TopicBootstrap.class);

    @Inject
    KafkaTopicsConfig config;

    @ConfigProperty(name = "kafka.bootstrap.servers", defaultValue = "localhost:9092")
    String bootstrapServers;

    void onStart(@Observes @Priority(1) StartupEvent event) {
        if (config.createTopics()) {
            ensureTopics();
        }
    }

    public void ensureTopics() {
        try (Admin admin = Admin.create(Map.of(
                AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 10_000,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 15_000))) {
            Set<String> existing = admin.listTopics().names().get(15, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            for (String topic : Topics.all()) {
                if (!existing.contains(topic)) {
                    NewTopic t = new NewTopic(topic, config.partitions(), config.replicationFactor());
                    if (Topics.compacted(topic)) {
                        t.configs(Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_COMPACT,
                                TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, "0",
                                TopicConfig.SEGMENT_MS_CONFIG, "600000"));
                    }
                    missing.add(t);
                }
                String dlq = Topics.deadLetter(topic);
                if (!existing.contains(dlq)) {
                    missing.add(new NewTopic(dlq, 1, config.replicationFactor()));
                }
            }
            if (missing.isEmpty()) {
                return;
            }
            for (var entry : admin.createTopics(missing).values().entrySet()) {
                try {
                    entry.getValue().get(15, TimeUnit.SECONDS);
                } catch (ExecutionException e) {
                    if (!(e.getCause() instanceof TopicExistsException)) {
                        throw e;
                    }
                }
            }
            LOG.infof("created %d Kafka topics", missing.size());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (Exception e) {
            // not fatal: readiness reports Kafka as down, and the relay retries until the broker is back
            LOG.warnf("could not ensure Kafka topics at %s: %s", bootstrapServers, e.getMessage());
        }
    }
}
