package io.hemolink.notification.config;

import io.hemolink.notification.domain.HostPolicy;
import io.hemolink.notification.domain.Secrets;
import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import java.net.InetAddress;
import java.util.List;

/** The domain's configured helpers: the target-host policy and the sealing of secrets. */
public class NotificationBeans {

    @Produces
    @Singleton
    HostPolicy hostPolicy(NotificationConfig config) {
        return new HostPolicy(config.allowedHosts().orElse(List.of()), config.allowLoopback(), InetAddress::getAllByName);
    }

    /** Fails the start when the key is missing or not 32 bytes of Base64. */
    @Produces
    @Singleton
    Secrets secrets(NotificationConfig config) {
        return new Secrets(config.secretKey());
    }
}
