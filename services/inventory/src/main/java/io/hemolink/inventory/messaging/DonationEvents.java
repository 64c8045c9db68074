package io.hemolink.inventory.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hemolink.common.inbox.ProcessedEvents;
import io.hemolink.common.kafka.Consumers;
import io.hemolink.contracts.events.Events;
import io.hemolink.inventory.domain.RecruitmentDonations;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Donations from the fee-waiver service's topic ({@code hemolink.feewaiver.donations}: the donor system's and those
 * the waiver administration records), kept with their group so open recruitment requests count them (ADR 0038). Each
 * event has its effect once (processed-event log in the same transaction) and each donation id counts once, whatever
 * event brings it; the donor's hash is never kept.
 */
@ApplicationScoped
public class DonationEvents {

    static final String CONSUMER = "inventory-donations";

    @Inject
    Consumers consumers;

    @Inject
    ProcessedEvents processed;

    @Inject
    RecruitmentDonations donations;

    @Inject
    ObjectMapper mapper;

    @Incoming("donations")
    @Blocking(ordered = true)
    public void on(ConsumerRecord<String, String> record) {
        consumers.process("donations", record,
                event -> processed.once(CONSUMER, event, Events.DONATION_RECORDED, mapper, donations::record));
    }
}
