package io.hemolink.k8s;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The overlays' KeycloakRealmImports against deploy/local/keycloak/hemolink-realm.json (the realm deploy/infra's
 * KeycloakRealmTest imports into a real Keycloak): the local one is that realm, the production one is that realm
 * without credentials (the demo users' passwords and the demo clients' secrets: Keycloak makes the clients new
 * secrets, an administrator sets the users' passwords) and with production's addresses ({@link #forProduction}:
 * TLS required but on the cluster's network, the dashboard's client at the production gateway's address only).
 * Neither can drift from the realm: after changing the realm,
 * run this test once with {@code -Dhemolink.k8s.update=true} to write both files again.
 */
class RealmImportTest {

    private static final Path REALM = Manifests.ROOT.resolve("deploy/local/keycloak/hemolink-realm.json");
    private static final String LOCAL = "overlays/local/keycloak-realm-import.yaml";
    private static final String PRODUCTION = "overlays/production/keycloak-realm-import.yaml";

    static JsonNode demoRealm() throws IOException {
        return Manifests.JSON.readTree(REALM.toFile());
    }

    /** The public address of the production gateway (overlays/production gateway-ingress.yaml). */
    static final String PRODUCTION_GATEWAY = "https://hemolink.example.org";

    /**
     * The production realm: the demo realm without what lets anyone in (users' credentials, confidential clients'
     * secrets), TLS required for external clients, the dashboard's client (hemolink-web) at the production gateway.
     */
    static JsonNode forProduction(JsonNode realm) {
        ObjectNode copy = realm.deepCopy();
        copy.path("users").forEach(u -> ((ObjectNode) u).remove("credentials"));
        copy.path("clients").forEach(c -> ((ObjectNode) c).remove("secret"));
        copy.put("displayName", "Hemolink");
        copy.put("sslRequired", "external");
        for (JsonNode c : copy.path("clients")) {
            if (c.path("clientId").asText().equals("hemolink-web")) {
                ((ObjectNode) c).putArray("redirectUris").add(PRODUCTION_GATEWAY + "/*");
                ((ObjectNode) c).putArray("webOrigins").add(PRODUCTION_GATEWAY);
                if (c.path("attributes").has("post.logout.redirect.uris")) {
                    ((ObjectNode) c.path("attributes")).put("post.logout.redirect.uris", PRODUCTION_GATEWAY + "/*");
                }
            }
        }
        return copy;
    }

    private static String importDocument(JsonNode realm, String comment) throws IOException {
        ObjectNode doc = Manifests.JSON.createObjectNode();
        doc.put("apiVersion", "k8s.keycloak.org/v2alpha1");
        doc.put("kind", "KeycloakRealmImport");
        doc.putObject("metadata").put("name", "hemolink");
        ObjectNode spec = doc.putObject("spec");
        spec.put("keycloakCRName", "keycloak");
        spec.set("realm", realm);
        return comment + Manifests.YAML.writeValueAsString(doc);
    }

    private static void updateIfAsked() throws IOException {
        if (!Boolean.getBoolean("hemolink.k8s.update")) {
            return;
        }
        String generated = "# Generated from deploy/local/keycloak/hemolink-realm.json by k8s/.../RealmImportTest\n"
                + "# (-Dhemolink.k8s.update=true); the test fails when this file and the realm differ. Do not edit.\n";
        Files.writeString(Manifests.K8S.resolve(LOCAL), importDocument(demoRealm(),
                "# The demo realm with its demo users and their passwords (the user name), as deploy/local has it.\n"
                        + generated), StandardCharsets.UTF_8);
        Files.writeString(Manifests.K8S.resolve(PRODUCTION), importDocument(forProduction(demoRealm()),
                "# The realm without credentials: no user has a password (an administrator sets them), the\n"
                        + "# confidential clients get new secrets from Keycloak (read them in its admin console); TLS\n"
                        + "# required, the dashboard's client at the production gateway (RealmImportTest.forProduction).\n"
                        + generated), StandardCharsets.UTF_8);
    }

    private static JsonNode importedRealm(String file) {
        List<JsonNode> imports = Manifests.ofKind("KeycloakRealmImport", file);
        assertEquals(1, imports.size(), file);
        JsonNode spec = imports.get(0).path("spec");
        assertEquals("keycloak", spec.path("keycloakCRName").asText(), file + ": keycloakCRName");
        return spec.path("realm");
    }

    @Test
    void theLocalImportIsTheDemoRealm() throws IOException {
        updateIfAsked();
        assertEquals(demoRealm(), importedRealm(LOCAL), LOCAL + " differs from " + REALM
                + " (run this test with -Dhemolink.k8s.update=true)");
    }

    @Test
    void theProductionImportIsTheDemoRealmWithoutCredentialsAtProductionsAddresses() throws IOException {
        updateIfAsked();
        assertEquals(forProduction(demoRealm()), importedRealm(PRODUCTION), PRODUCTION
                + " differs from " + REALM + " minus credentials, at production's addresses (run this test with -Dhemolink.k8s.update=true)");
    }

    @Test
    void noCredentialIsLeftInTheProductionImport() throws IOException {
        updateIfAsked();
        List<String> found = new ArrayList<>();
        scan(importedRealm(PRODUCTION), "realm", found);
        assertTrue(found.isEmpty(), "credentials in " + PRODUCTION + ": " + found);
        // and the stripping has something to strip: the demo realm has passwords and client secrets
        List<String> demo = new ArrayList<>();
        scan(demoRealm(), "realm", demo);
        assertFalse(demo.isEmpty(), "the demo realm has no credentials any more: is the test still right?");
        JsonNode realm = importedRealm(PRODUCTION);
        assertEquals("external", realm.path("sslRequired").asText(), "sslRequired");
        assertFalse(realm.toString().contains("localhost"), "a localhost address in " + PRODUCTION);
    }

    private static void scan(JsonNode node, String path, List<String> found) {
        if (node.isObject()) {
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                var e = it.next();
                String key = e.getKey().toLowerCase(java.util.Locale.ROOT);
                if (key.equals("credentials") || key.equals("secret") || key.equals("password") || key.equals("value")
                        && "password".equals(node.path("type").asText())) {
                    found.add(path + "." + e.getKey());
                }
                scan(e.getValue(), path + "." + e.getKey(), found);
            }
        } else if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                scan(node.get(i), path + "[" + i + "]", found);
            }
        }
    }
}
