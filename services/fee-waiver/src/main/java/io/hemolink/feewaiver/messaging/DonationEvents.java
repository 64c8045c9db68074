package io.hemolink.feewaiver.messaging;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.hemolink.common.inbox.ProcessedEvents;
import io.hemolink.common.kafka.Consumers;
import io.hemolink.contracts.events.Events;
import io.hemolink.feewaiver.domain.DonationRecords;
import io.smallrye.reactive.messaging.annotations.Blocking;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.microprofile.reactive.messaging.Incoming;

/**
 * Donations from the station's donor system ({@code hemolink.feewaiver.donations}), which names the donor only by
 * the keyed hash of the ID number. Each event has its effect once (processed-event log in the same transaction), and
 * each donation id counts once even when the donor system sends it again under a new event id.
 */
@ApplicationScoped
public class DonationEvents {

    static final String CONSUMER = "fee-waiver-donations";

    @Inject
    Consumers consumers;

    @Inject
    ProcessedEvents processed;

    @Inject
    DonationRecords donations;

    @Inject
    ObjectMapper mapper;

    @Incoming("donations")
    @Blocking(ordered = true)
    public void on(ConsumerRecord<String, String> record) {
        consumers.process("donations", record,
                event -> processed.once(CONSUMER, event, Events.DONATION_RECORDED, mapper, donations::fromStation));
    }
}
