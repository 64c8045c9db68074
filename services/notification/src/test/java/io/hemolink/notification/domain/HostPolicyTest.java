package io.hemolink.notification.domain;

import io.hemolink.common.domain.DomainException;
import org.junit.jupiter.api.Test;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The SSRF rules, with a resolver the test controls (so names can resolve to anything, and change: rebinding). */
class HostPolicyTest {

    private final Map<String, String> dns = new java.util.HashMap<>(Map.of(
            "his.hospital.example", "203.0.113.10",
            "inside.hospital.example", "10.1.2.3",
            "rebind.hospital.example", "203.0.113.11",
            "localhost", "127.0.0.1"));

    private final HostPolicy.Resolver resolver = host -> {
        String a = dns.get(host);
        if (a == null) {
            if (host.matches("[0-9.]+|[0-9a-f:.]+")) {
                return new InetAddress[]{InetAddress.getByName(host)}; // a literal: no lookup
            }
            throw new UnknownHostException(host);
        }
        return new InetAddress[]{InetAddress.getByName(a)};
    };

    private final HostPolicy production = new HostPolicy(List.of("*"), false, resolver);
    private final HostPolicy demo = new HostPolicy(List.of("*"), true, resolver);

    private static String refused(HostPolicy policy, String url) {
        return assertThrows(DomainException.class, () -> policy.checkSubscription(url)).code();
    }

    @Test
    void publicHttpAndHttpsPass() {
        assertEquals("https://his.hospital.example/hooks?x=1",
                production.checkSubscription("https://his.hospital.example/hooks?x=1").toString());
        production.checkSubscription("http://203.0.113.7:8443/");
    }

    @Test
    void notAnAbsoluteHttpUrl() {
        for (String url : List.of("ftp://his.hospital.example/", "file:///etc/passwd", "gopher://x/", "//his.hospital.example/",
                "/hooks", "", "http://", "http:///x", "mailto:a@b.c", "http://a b/", "http://u:p@his.hospital.example/",
                "https://his.hospital.example/#frag")) {
            assertEquals(HostPolicy.URL_INVALID, refused(production, url), url);
        }
        assertEquals(HostPolicy.URL_INVALID, refused(production, "https://his.hospital.example/" + "x".repeat(2000)));
    }

    @Test
    void alwaysForbiddenWhateverTheListAndTheLoopbackSetting() {
        for (HostPolicy p : List.of(production, demo)) {
            for (String url : List.of("http://169.254.169.254/latest/meta-data/", "http://169.254.1.1/",
                    "http://metadata.google.internal/computeMetadata/v1/", "http://METADATA.GOOGLE.INTERNAL./",
                    "http://metadata/", "http://[fd00:ec2::254]/", "http://[fe80::1]/", "http://0.0.0.0/",
                    "http://0.1.2.3/", "http://[::]/", "http://224.0.0.1/", "http://255.255.255.255/",
                    "http://[::ffff:169.254.169.254]/", "http://[64:ff9b::a9fe:a9fe]/")) {
                assertEquals(HostPolicy.HOST_FORBIDDEN, refused(p, url), url);
            }
        }
    }

    @Test
    void loopbackAndPrivateOnlyWhenAllowed() {
        for (String url : List.of("http://127.0.0.1:8080/", "http://localhost/", "http://[::1]/", "http://10.0.0.8/",
                "http://172.16.5.4/", "http://192.168.1.1/", "http://100.64.0.1/", "http://[fd12:3456::1]/",
                "http://inside.hospital.example/", "http://[::ffff:127.0.0.1]/", "http://2130706433/")) {
            assertEquals(HostPolicy.HOST_FORBIDDEN, refused(production, url), url);
            demo.checkSubscription(url);
        }
    }

    @Test
    void theAllowList() {
        HostPolicy listed = new HostPolicy(List.of(" his.hospital.example", "*.h002.example", "203.0.113.9"), false,
                resolver);
        listed.checkSubscription("https://HIS.hospital.example/x");
        dns.put("lis.h002.example", "203.0.113.20");
        listed.checkSubscription("https://lis.h002.example/x");
        listed.checkSubscription("https://203.0.113.9/x");
        assertEquals(HostPolicy.HOST_FORBIDDEN, refused(listed, "https://h002.example/x"));
        assertEquals(HostPolicy.HOST_FORBIDDEN, refused(listed, "https://evilh002.example/x"));
        assertEquals(HostPolicy.HOST_FORBIDDEN, refused(listed, "https://his.hospital.example.evil.org/x"));
        assertEquals(HostPolicy.HOST_FORBIDDEN, refused(listed, "https://203.0.113.10/x"));
        // none configured: nothing is allowed
        assertEquals(HostPolicy.HOST_FORBIDDEN, refused(new HostPolicy(List.of(), true, resolver), "http://localhost/"));
        // listed, but resolving to a private address: still refused
        HostPolicy inside = new HostPolicy(List.of("inside.hospital.example"), false, resolver);
        assertEquals(HostPolicy.HOST_FORBIDDEN, refused(inside, "http://inside.hospital.example/"));
    }

    @Test
    void anUnresolvableHost() {
        assertEquals(HostPolicy.HOST_UNRESOLVABLE, refused(production, "https://nowhere.hospital.example/"));
    }

    @Test
    void aNameThatRebindsToAForbiddenAddressIsRefusedAtDelivery() {
        URI uri = production.checkSubscription("https://rebind.hospital.example/hooks");
        assertTrue(production.refusal(uri).isEmpty());
        dns.put("rebind.hospital.example", "169.254.169.254");
        HostPolicy.Refusal r = production.refusal(uri).orElseThrow();
        assertEquals(HostPolicy.HOST_FORBIDDEN, r.code());
        assertTrue(r.detail().contains("169.254.169.254"), r.detail());
        dns.put("rebind.hospital.example", "127.0.0.1");
        assertTrue(production.refusal(uri).isPresent());
    }
}
