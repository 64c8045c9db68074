package io.hemolink.gateway;

import io.hemolink.contracts.blood.Component;
import io.hemolink.infra.InfraTestResource;
import io.hemolink.infra.TestTokens;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.eclipse.microprofile.config.ConfigProvider;
import org.junit.jupiter.api.Test;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.not;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The dispatch dashboard is served by the gateway: the page and its assets without a token, every asset from the
 * gateway itself (ECharts unpacked from its Maven artifact at build time, nothing from a CDN), {@code /config.json}
 * naming the realm and the public client, and the API still closed without a token.
 */
@QuarkusTest
@WithTestResource(value = InfraTestResource.class, initArgs = {
        @ResourceArg(name = "postgres", value = "false"), @ResourceArg(name = "kafka", value = "false")})
class WebDashboardTest {

    private static final Pattern SCRIPT_SRC = Pattern.compile("<script[^>]*\\ssrc=\"([^\"]+)\"");
    private static final Pattern STYLESHEET = Pattern.compile("<link[^>]*\\shref=\"([^\"]+)\"");
    private static final Pattern IMPORT = Pattern.compile("(?:import|export)\\s[^;]*?from\\s+'([^']+)'");

    @Test
    void thePageIsServedAtTheRootWithoutATokenAndWithItsHooks() {
        String html = given().get("/").then().statusCode(200).contentType(containsString("text/html"))
                .extract().asString();
        for (String hook : List.of("board", "orders", "alerts", "storage-points", "lang-switch", "login-status",
                "unit-lookup", "unit-lookup-din", "unit-lookup-component", "unit-lookup-division", "unit-detail",
                "unit-facts", "unit-history")) {
            assertTrue(html.contains("data-testid=\"" + hook + "\""), "hook " + hook);
        }
    }

    @Test
    void everyScriptAndStylesheetIsTheGatewaysOwnAndIsServed() {
        String html = given().get("/index.html").then().statusCode(200).extract().asString();
        List<String> assets = new ArrayList<>();
        Matcher m = SCRIPT_SRC.matcher(html);
        while (m.find()) {
            assets.add(m.group(1));
        }
        m = STYLESHEET.matcher(html);
        while (m.find()) {
            assets.add(m.group(1));
        }
        assertTrue(assets.contains("vendor/echarts/echarts.min.js"), "ECharts is loaded from vendor/: " + assets);
        for (String asset : assets) {
            assertFalse(asset.startsWith("http:") || asset.startsWith("https:") || asset.startsWith("//"),
                    "no asset from another origin (a CDN): " + asset);
            given().get("/" + asset).then().statusCode(200);
        }
        assertFalse(html.contains("http://") || html.contains("https://"), "the page names no other origin");

        Response echarts = given().get("/vendor/echarts/echarts.min.js");
        echarts.then().statusCode(200).contentType(containsString("javascript"));
        assertTrue(echarts.asByteArray().length > 500_000, "the whole ECharts bundle, unpacked from the webjar");
        given().get("/vendor/echarts/LICENSE").then().statusCode(200).body(containsString("Apache License"));
    }

    @Test
    void everyModuleTheAppImportsIsServedAndNoneComesFromAnotherOrigin() {
        Set<String> seen = new HashSet<>();
        Deque<String> todo = new ArrayDeque<>(List.of("js/main.js"));
        while (!todo.isEmpty()) {
            String path = todo.pop();
            if (!seen.add(path)) {
                continue;
            }
            String source = given().get("/" + path).then().statusCode(200)
                    .contentType(containsString("javascript")).extract().asString();
            Matcher m = IMPORT.matcher(source);
            while (m.find()) {
                String target = m.group(1);
                assertTrue(target.startsWith("./"), path + " imports only its siblings: " + target);
                todo.add("js/" + target.substring(2));
            }
        }
        assertTrue(seen.containsAll(List.of("js/main.js", "js/auth.js", "js/api.js", "js/sse.js", "js/board.js",
                "js/orders.js", "js/alerts.js", "js/storage.js", "js/charts.js", "js/i18n.js", "js/dom.js", "js/unit.js",
                "js/wastage.js", "js/par.js")), seen.toString());
        given().get("/app.css").then().statusCode(200).contentType(containsString("css"))
                .body(not(containsString("http")));
    }

    @Test
    void configTellsTheRealmAndThePublicClientWithoutAToken() {
        String issuer = ConfigProvider.getConfig().getValue("hemolink.gateway.web.issuer", String.class);
        given().get("/config.json").then().statusCode(200).contentType(containsString("application/json"))
                .header("Cache-Control", "no-store")
                .body("issuer", equalTo(issuer))
                .body("clientId", equalTo("hemolink-web"))
                .body("wastageTarget", equalTo(0.01f));
        assertTrue(issuer.endsWith("/realms/hemolink"), issuer);
    }

    @Test
    void thePagesCarryAContentSecurityPolicyAllowingOnlyThisOriginAndTheIdentityProvider() {
        String csp = given().get("/").then().statusCode(200).extract().header("Content-Security-Policy");
        assertTrue(csp.contains("default-src 'self'") && csp.contains("script-src 'self';"), csp);
        assertTrue(csp.contains("connect-src 'self' http://localhost:8180")
                || csp.contains("connect-src 'self' " + origin()), csp);
        assertTrue(csp.contains("form-action 'self' "), csp);
        assertTrue(csp.contains("frame-ancestors 'none'"), csp);
        given().get("/js/main.js").then().statusCode(200).header("X-Content-Type-Options", "nosniff");
        assertEquals("default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; "
                        + "font-src 'self'; connect-src 'self' https://sso.example.org:8443; "
                        + "form-action 'self' https://sso.example.org:8443; frame-ancestors 'none'; base-uri 'self'; "
                        + "object-src 'none'",
                WebDashboard.contentSecurityPolicy("https://sso.example.org:8443/realms/hemolink"));
    }

    private static String origin() {
        java.net.URI u = java.net.URI.create(ConfigProvider.getConfig().getValue("hemolink.gateway.web.issuer", String.class));
        return u.getScheme() + "://" + u.getHost() + (u.getPort() > 0 ? ":" + u.getPort() : "");
    }

    @Test
    void theApiStillRequiresAToken() {
        given().get("/api/v1/stock/balance").then().statusCode(401).contentType("application/problem+json")
                .body("code", equalTo("UNAUTHORIZED"));
        given().get("/api/v1/stock/stream").then().statusCode(401);
        given().auth().oauth2(TestTokens.forged("dispatcher", "STATION", "station-dispatcher"))
                .get("/api/v1/orders").then().statusCode(401);
    }

    @Test
    void theCataloguesComponentNamesAreTheContractsOnes() {
        JsonArray served = new JsonObject(given().get("/catalogue.json").then().statusCode(200).extract().asString())
                .getJsonArray("components");
        assertEquals(Component.values().length, served.size());
        for (int i = 0; i < served.size(); i++) {
            JsonObject c = served.getJsonObject(i);
            Component expected = Component.values()[i];
            assertEquals(expected.name(), c.getString("code"), "catalogue order");
            assertEquals(expected.nameZh(), c.getString("zh"));
            assertEquals(expected.nameEn(), c.getString("en"));
            assertEquals(expected.uom().name(), c.getString("uom"));
            assertEquals(expected.productClass().name(), c.getString("productClass"));
        }
    }

    /**
     * Every text the page and its modules name by a fixed key (data-i18n, data-i18n-placeholder, t('...')) exists in
     * Chinese and in English, and both languages have the same keys: a label never shows as its key.
     */
    @Test
    void everyTextKeyExistsInChineseAndInEnglish() {
        String i18n = given().get("/js/i18n.js").then().statusCode(200).extract().asString();
        int zh = i18n.indexOf("  zh: {");
        int en = i18n.indexOf("  en: {");
        int end = i18n.indexOf("\n};", en);
        assertTrue(zh >= 0 && en > zh && end > en, "i18n.js keeps DICT = { zh: {...}, en: {...} }");
        Set<String> zhKeys = keys(i18n.substring(zh, en));
        Set<String> enKeys = keys(i18n.substring(en, end));
        assertEquals(zhKeys, enKeys, "the same keys in both languages");

        Set<String> used = new java.util.TreeSet<>();
        Matcher html = Pattern.compile("data-i18n(?:-placeholder)?=\"([^\"]+)\"").matcher(given().get("/").asString());
        while (html.find()) {
            used.add(html.group(1));
        }
        // every quoted 'prefix.name' in the modules whose prefix is one of the dictionary's (t('unit.lookup'),
        // fact('unit.status', ...)); keys built at run time (`level.${x}`) are not seen
        Set<String> prefixes = new HashSet<>();
        enKeys.forEach(k -> prefixes.add(k.substring(0, k.indexOf('.') + 1)));
        Pattern literal = Pattern.compile("'([A-Za-z]+\\.[A-Za-z0-9_.]+)'");
        for (String module : List.of("main", "alerts", "board", "orders", "storage", "unit", "charts")) {
            Matcher m = literal.matcher(given().get("/js/" + module + ".js").then().statusCode(200).extract().asString());
            while (m.find()) {
                String key = m.group(1);
                if (prefixes.contains(key.substring(0, key.indexOf('.') + 1))) {
                    used.add(key);
                }
            }
        }
        assertTrue(used.containsAll(List.of("unit.lookup", "unit.irradiated", "alerts.waiting", "alerts.recallHolder")),
                used.toString());
        Set<String> missing = new java.util.TreeSet<>(used);
        missing.removeAll(enKeys);
        assertEquals(Set.of(), missing, "keys the page uses that have no text");
    }

    private static Set<String> keys(String block) {
        Set<String> out = new java.util.TreeSet<>();
        Matcher m = Pattern.compile("(?m)^\\s+'([^']+)':").matcher(block);
        while (m.find()) {
            out.add(m.group(1));
        }
        return out;
    }
}
