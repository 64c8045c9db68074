package io.hemolink.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The services' manifests against their application.properties: the rule tables' ConfigMaps hold every rule with
 * the value the jar has (so an overlay changes a rule knowingly), each service talks to its own database (the one
 * its dev profile names, the CloudNativePG Cluster that creates it), and the gateway routes to each service's port.
 */
class ServiceManifestsTest {

    private static final Pattern DEV_DB = Pattern.compile("jdbc:postgresql://[^/]+/(\\w+)");

    /** The rule tables of application.properties: the service's own keys, without profiles, secrets or expressions. */
    private static Map<String, String> rules(String service) {
        Map<String, String> out = new TreeMap<>();
        Manifests.applicationProperties(service).forEach((k, v) -> {
            if (k.startsWith("hemolink." + service + ".") && !v.contains("${") && !k.endsWith("-key")) {
                out.put(k, v);
            }
        });
        return out;
    }

    @Test
    void theRuleTablesConfigMapsHoldEveryRuleWithTheJarsValue() {
        for (String service : Manifests.SERVICES) {
            Map<String, String> configMap = new TreeMap<>(Manifests.properties(Manifests.K8S.resolve("base/config/" + service + ".properties")));
            assertEquals(rules(service), configMap, "k8s/base/config/" + service + ".properties against services/"
                    + service + "/src/main/resources/application.properties");
        }
    }

    @Test
    void eachServiceUsesItsOwnDatabaseWhichItsClusterCreates() {
        Map<String, JsonNode> clusters = new LinkedHashMap<>();
        Manifests.ofKind("Cluster", "base/postgres/clusters.yaml").forEach(c -> clusters.put(c.path("metadata").path("name").asText(), c));
        for (String service : Manifests.SERVICES) {
            String devUrl = Manifests.applicationProperties(service).get("%dev.quarkus.datasource.jdbc.url");
            Matcher dev = DEV_DB.matcher(devUrl);
            assertTrue(dev.matches(), devUrl);
            String database = dev.group(1);
            Map<String, JsonNode> env = env(service);
            Matcher url = Pattern.compile("jdbc:postgresql://([\\w-]+)-rw:5432/(\\w+)").matcher(env.get("HEMOLINK_DB_URL").path("value").asText());
            assertTrue(url.matches(), service + ": HEMOLINK_DB_URL " + env.get("HEMOLINK_DB_URL"));
            assertEquals(database, url.group(2), service + ": the database of its dev profile");
            JsonNode cluster = clusters.get(url.group(1));
            assertNotNull(cluster, service + ": no Cluster " + url.group(1));
            assertEquals(database, cluster.path("spec").path("bootstrap").path("initdb").path("database").asText(), url.group(1));
            for (String var : List.of("HEMOLINK_DB_USER", "HEMOLINK_DB_PASSWORD")) {
                assertEquals(url.group(1) + "-app", env.get(var).path("valueFrom").path("secretKeyRef").path("name").asText(),
                        service + ": " + var + " from the Secret the operator writes");
            }
        }
    }

    @Test
    void theGatewayRoutesToEachServicesPortAndService() {
        Map<String, String> props = Manifests.applicationProperties("gateway");
        Map<String, JsonNode> env = env("gateway");
        for (String service : Manifests.SERVICES) {
            String route = props.get("hemolink.gateway.routes." + service + ".url");
            Matcher m = Pattern.compile("\\$\\{(\\w+):http://localhost:(\\d+)}").matcher(route);
            assertTrue(m.matches(), route);
            int port = Integer.parseInt(props(service).get("quarkus.http.port"));
            assertEquals(Integer.parseInt(m.group(2)), port, service + ": the route's default port is the service's");
            assertEquals("http://" + service + ":" + port, env.get(m.group(1)).path("value").asText(), "gateway env " + m.group(1));
            JsonNode svc = Manifests.ofKind("Service", "base/services/" + service + ".yaml").get(0);
            assertEquals(port, svc.path("spec").path("ports").get(0).path("port").asInt(), service + ": Service port");
        }
    }

    @Test
    void thePlatformSettingsNameTheClustersKafkaKeycloakAndRealm() throws Exception {
        Map<String, String> platform = new LinkedHashMap<>();
        JsonNode kustomization = Manifests.objects("base/kustomization.yaml").get(0);
        for (JsonNode generator : kustomization.path("configMapGenerator")) {
            if (generator.path("name").asText().equals("hemolink-platform")) {
                generator.path("literals").forEach(l -> {
                    String[] kv = l.asText().split("=", 2);
                    platform.put(kv[0], kv[1]);
                });
            }
        }
        // the services create no topics there: they are the KafkaTopics (TopicBootstrap reads hemolink.kafka.create-topics)
        assertEquals("false", platform.get("HEMOLINK_KAFKA_CREATE_TOPICS"), "HEMOLINK_KAFKA_CREATE_TOPICS");
        JsonNode kafka = Manifests.ofKind("Kafka", "base/kafka/kafka.yaml").get(0);
        int port = kafka.path("spec").path("kafka").path("listeners").get(0).path("port").asInt();
        assertEquals(kafka.path("metadata").path("name").asText() + "-kafka-bootstrap:" + port,
                platform.get("KAFKA_BOOTSTRAP_SERVERS"), "KAFKA_BOOTSTRAP_SERVERS: Strimzi's bootstrap Service");
        String realm = Manifests.JSON.readTree(Manifests.ROOT.resolve("deploy/local/keycloak/hemolink-realm.json").toFile())
                .path("realm").asText();
        JsonNode keycloak = Manifests.ofKind("Keycloak", "base/keycloak/keycloak.yaml").get(0);
        assertEquals("http://" + keycloak.path("metadata").path("name").asText() + "-service:8080/realms/" + realm,
                platform.get("HEMOLINK_OIDC_URL"), "HEMOLINK_OIDC_URL: the Keycloak operator's Service, over HTTP");
        assertTrue(keycloak.path("spec").path("http").path("httpEnabled").asBoolean(), "Keycloak listens on HTTP inside the cluster");
        assertEquals(keycloak.path("spec").path("hostname").path("hostname").asText() + "/realms/" + realm,
                platform.get("HEMOLINK_GATEWAY_WEB_ISSUER"), "the dashboard's issuer is Keycloak's public address");
    }

    private static Map<String, String> props(String service) {
        return Manifests.applicationProperties(service);
    }

    private static Map<String, JsonNode> env(String workload) {
        JsonNode deployment = Manifests.ofKind("Deployment", "base/services/" + workload + ".yaml").get(0);
        Map<String, JsonNode> env = new LinkedHashMap<>();
        deployment.path("spec").path("template").path("spec").path("containers").get(0).path("env")
                .forEach(e -> env.put(e.path("name").asText(), e));
        return env;
    }
}
