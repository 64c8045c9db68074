package io.hemolink.infra;

import io.quarkus.test.common.QuarkusTestResourceLifecycleManager;

import java.util.HashMap;
import java.util.Map;

/**
 * Quarkus test resource: real PostgreSQL (one database for the service, named by the init argument
 * {@code database}), a real Kafka broker, and token verification against {@link TestTokens}' key. Use as
 * {@code @WithTestResource(value = InfraTestResource.class, initArgs = @ResourceArg(name = "database", value = "inventory"))}
 * or, for a whole module, through a {@code QuarkusTestProfile}.
 */
public class InfraTestResource implements QuarkusTestResourceLifecycleManager {

    private String database = "app";
    private boolean withKafka = true;
    private boolean withPostgres = true;

    @Override
    public void init(Map<String, String> initArgs) {
        database = initArgs.getOrDefault("database", database);
        withKafka = Boolean.parseBoolean(initArgs.getOrDefault("kafka", "true"));
        withPostgres = Boolean.parseBoolean(initArgs.getOrDefault("postgres", "true"));
    }

    @Override
    public Map<String, String> start() {
        Map<String, String> config = new HashMap<>();
        if (withPostgres) {
            TestInfrastructure.createDatabase(database);
            config.put("quarkus.datasource.jdbc.url", TestInfrastructure.jdbcUrl(database));
            config.put("quarkus.datasource.username", PostgresServer.USER);
            config.put("quarkus.datasource.password", PostgresServer.USER);
        }
        // tokens are verified for real, against the key TestTokens signs with
        config.put("quarkus.oidc.public-key", TestTokens.publicKey());
        config.put("quarkus.oidc.token.issuer", TestTokens.ISSUER);
        if (withKafka) {
            String bootstrap = TestInfrastructure.kafkaBootstrapServers();
            config.put("kafka.bootstrap.servers", bootstrap);
            config.put("mp.messaging.connector.smallrye-kafka.bootstrap.servers", bootstrap);
        }
        return config;
    }

    @Override
    public void stop() {
        // shared for the whole test JVM; stopped by TestInfrastructure's shutdown hooks
    }
}
