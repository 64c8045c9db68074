package io.hemolink.notification.domain;

import io.hemolink.common.domain.DomainException;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Where webhooks may go (SSRF): a URL must be absolute http or https with a host on the station's allow-list, and
 * every address its host resolves to must be a public one. Always refused, whatever the list: link-local
 * (169.254.0.0/16, fe80::/10, so the cloud metadata address 169.254.169.254 too), the metadata names and
 * {@code fd00:ec2::254}, unspecified and "this network" addresses (0.0.0.0/8, ::), multicast and broadcast. Loopback
 * and private ranges (127.0.0.0/8, ::1, 10/8, 172.16/12, 192.168/16, 100.64/10, fc00::/7, fec0::/10) only when
 * loopback is allowed (the local demo and tests). An IPv6 address carrying an IPv4 one (mapped, compatible, NAT64) is
 * judged by the IPv4 address. The same check runs when subscribing and again before every delivery, on a fresh
 * resolution, so a name that later resolves to a forbidden address (DNS rebinding) is not sent to.
 */
public final class HostPolicy {

    /** Resolves a host name (or address literal) to its addresses. */
    @FunctionalInterface
    public interface Resolver {
        InetAddress[] resolve(String host) throws UnknownHostException;
    }

    public static final String URL_INVALID = "SUBSCRIPTION_URL_INVALID";
    public static final String HOST_FORBIDDEN = "SUBSCRIPTION_HOST_FORBIDDEN";
    public static final String HOST_UNRESOLVABLE = "SUBSCRIPTION_HOST_UNRESOLVABLE";

    /** Cloud metadata services by name (GCP, AWS, Azure/OpenStack conventions). */
    private static final Set<String> METADATA_NAMES = Set.of("metadata.google.internal", "metadata.goog", "metadata",
            "instance-data", "instance-data.ec2.internal", "metadata.azure.internal");
    private static final int MAX_URL = 2000;

    private final List<String> allowedHosts;
    private final boolean allowLoopback;
    private final Resolver resolver;

    public HostPolicy(List<String> allowedHosts, boolean allowLoopback, Resolver resolver) {
        this.allowedHosts = allowedHosts.stream().map(String::strip).filter(h -> !h.isEmpty())
                .map(h -> h.toLowerCase(Locale.ROOT)).toList();
        this.allowLoopback = allowLoopback;
        this.resolver = resolver;
    }

    /** The URL as a subscription keeps it, or a refusal (422 with one of this class's codes). */
    public URI checkSubscription(String url) {
        URI uri = parse(url);
        refusal(uri).ifPresent(r -> {
            throw DomainException.invalid(r.code(), r.detail(), "url");
        });
        return uri;
    }

    /** Why a delivery to {@code uri} must not be sent now (the host is resolved afresh), or empty when it may. */
    public Optional<Refusal> refusal(URI uri) {
        String host = host(uri);
        if (METADATA_NAMES.contains(host)) {
            return Optional.of(new Refusal(HOST_FORBIDDEN, "the host " + host + " is a cloud metadata service"));
        }
        if (!allowed(host)) {
            return Optional.of(new Refusal(HOST_FORBIDDEN, "the host " + host + " is not on the allowed hosts"));
        }
        InetAddress[] addresses;
        try {
            addresses = resolver.resolve(host);
        } catch (UnknownHostException e) {
            return Optional.of(new Refusal(HOST_UNRESOLVABLE, "the host " + host + " does not resolve"));
        }
        if (addresses == null || addresses.length == 0) {
            return Optional.of(new Refusal(HOST_UNRESOLVABLE, "the host " + host + " does not resolve"));
        }
        for (InetAddress a : addresses) {
            String why = forbidden(a);
            if (why != null) {
                return Optional.of(new Refusal(HOST_FORBIDDEN, "the host " + host + " resolves to "
                        + a.getHostAddress() + ", " + why));
            }
        }
        return Optional.empty();
    }

    /** A refusal: its code and a detail naming the host and the address at fault. */
    public record Refusal(String code, String detail) {
    }

    private static URI parse(String url) {
        if (url == null || url.isBlank()) {
            throw DomainException.invalid(URL_INVALID, "url is required", "url");
        }
        if (url.length() > MAX_URL) {
            throw DomainException.invalid(URL_INVALID, "url must be at most " + MAX_URL + " characters", "url");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw DomainException.invalid(URL_INVALID, "url is not a valid URL: " + e.getReason(), "url");
        }
        String scheme = uri.getScheme() == null ? null : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!uri.isAbsolute() || !("http".equals(scheme) || "https".equals(scheme))) {
            throw DomainException.invalid(URL_INVALID, "url must be an absolute http or https URL", "url");
        }
        if (uri.getHost() == null || uri.getHost().isBlank()) {
            throw DomainException.invalid(URL_INVALID, "url must name a host", "url");
        }
        if (uri.getRawUserInfo() != null) {
            throw DomainException.invalid(URL_INVALID, "url must not carry credentials (user:password@)", "url");
        }
        if (uri.getRawFragment() != null) {
            throw DomainException.invalid(URL_INVALID, "url must not have a fragment (#...)", "url");
        }
        return uri;
    }

    /** The host as compared: lower case, without the brackets of an IPv6 literal or a trailing dot. */
    static String host(URI uri) {
        String host = uri.getHost().toLowerCase(Locale.ROOT);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        while (host.endsWith(".")) {
            host = host.substring(0, host.length() - 1);
        }
        return host;
    }

    private boolean allowed(String host) {
        for (String entry : allowedHosts) {
            if (entry.equals("*") || entry.equals(host)) {
                return true;
            }
            if (entry.startsWith("*.") && host.endsWith(entry.substring(1)) && host.length() > entry.length() - 1) {
                return true;
            }
        }
        return false;
    }

    /** Why an address is never a webhook target here, or null when it may be. */
    String forbidden(InetAddress address) {
        InetAddress a = embeddedIpv4(address);
        byte[] b = a.getAddress();
        if (a.isAnyLocalAddress() || (a instanceof Inet4Address && (b[0] & 0xff) == 0)) {
            return "an unspecified address";
        }
        if (a.isLinkLocalAddress() || isMetadata(a)) {
            return "a link-local or cloud metadata address";
        }
        if (a.isMulticastAddress() || (a instanceof Inet4Address && (b[0] & 0xff) == 255 && (b[1] & 0xff) == 255
                && (b[2] & 0xff) == 255 && (b[3] & 0xff) == 255)) {
            return "a multicast or broadcast address";
        }
        if (allowLoopback) {
            return null;
        }
        if (a.isLoopbackAddress()) {
            return "a loopback address";
        }
        if (a.isSiteLocalAddress() || isPrivate(a)) {
            return "a private address";
        }
        return null;
    }

    private static boolean isMetadata(InetAddress a) {
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address) {
            // fd00:ec2::254, AWS's IPv6 instance metadata address
            byte[] md = {(byte) 0xfd, 0, 0x0e, (byte) 0xc2, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0x02, 0x54};
            return java.util.Arrays.equals(b, md);
        }
        return false;
    }

    /** 100.64.0.0/10 (carrier-grade NAT) and fc00::/7 (unique local), which InetAddress does not call site-local. */
    private static boolean isPrivate(InetAddress a) {
        byte[] b = a.getAddress();
        if (a instanceof Inet4Address) {
            return (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64;
        }
        return (b[0] & 0xfe) == 0xfc;
    }

    /** The IPv4 address inside an IPv4-mapped, IPv4-compatible or NAT64 (64:ff9b::/96) IPv6 address, else itself. */
    private static InetAddress embeddedIpv4(InetAddress address) {
        if (!(address instanceof Inet6Address v6)) {
            return address;
        }
        byte[] b = v6.getAddress();
        boolean zeros80 = true;
        for (int i = 0; i < 10; i++) {
            zeros80 &= b[i] == 0;
        }
        boolean mapped = zeros80 && (b[10] & 0xff) == 0xff && (b[11] & 0xff) == 0xff;
        boolean compatible = zeros80 && b[10] == 0 && b[11] == 0 && !(b[12] == 0 && b[13] == 0 && b[14] == 0);
        boolean nat64 = (b[0] & 0xff) == 0 && (b[1] & 0xff) == 0x64 && (b[2] & 0xff) == 0xff && (b[3] & 0xff) == 0x9b;
        for (int i = 4; nat64 && i < 12; i++) {
            nat64 = b[i] == 0;
        }
        if (!mapped && !compatible && !nat64) {
            return address;
        }
        try {
            return InetAddress.getByAddress(new byte[]{b[12], b[13], b[14], b[15]});
        } catch (UnknownHostException e) {
            return address;
        }
    }
}
