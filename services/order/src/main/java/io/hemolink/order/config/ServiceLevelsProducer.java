package io.hemolink.order.config;

import io.hemolink.order.domain.ServiceLevels;
import jakarta.inject.Singleton;
import jakarta.enterprise.inject.Produces;

/** The service levels of {@link OrderConfig} as the plain-Java rule the domain uses. */
public class ServiceLevelsProducer {

    @Produces
    @Singleton
    ServiceLevels serviceLevels(OrderConfig config) {
        OrderConfig.ServiceLevels s = config.serviceLevels();
        return new ServiceLevels(s.emergency(), s.urgent(), s.routineRuns(), s.routineCutoff(), config.zone());
    }
}
