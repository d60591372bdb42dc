package dev.borges.metadata.controller;

import dev.borges.metadata.image.MetadataImage;
import dev.borges.metadata.record.ProducerIdsRecord;
import dev.borges.metadata.record.RegisterBrokerRecord;
import dev.borges.metadata.record.RegisterBrokerRecord.Endpoint;
import dev.borges.protocol.Errors;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Broker registrations and producer id blocks. A registration always replaces the broker's earlier
 * one (no fencing or heartbeats yet). Producer id blocks come from one counter in the image, so
 * blocks never overlap and only grow, across restarts too. Invalid requests throw
 * {@link ControllerException}. Pure function of (image, request); runs on the controller thread.
 */
final class ClusterControl {
    private final int producerIdBlockSize;

    ClusterControl(int producerIdBlockSize) {
        this.producerIdBlockSize = producerIdBlockSize;
    }

    ControllerResult<Void> registerBroker(BrokerRegistrationRequest request) {
        if (request.brokerId() < 0) {
            throw new ControllerException(Errors.INVALID_REQUEST, "Broker id " + request.brokerId() + " is negative");
        }
        Set<String> listeners = new HashSet<>();
        for (Endpoint endpoint : request.endpoints()) {
            if (!listeners.add(endpoint.listener())) {
                throw new ControllerException(Errors.INVALID_REQUEST, "Listener " + endpoint.listener()
                    + " appears more than once");
            }
        }
        var record = new RegisterBrokerRecord(request.brokerId(), request.incarnationId(), request.endpoints(), request.rack());
        return new ControllerResult<>(List.of(record), null);
    }

    ControllerResult<ProducerIdsBlock> allocateProducerIds(MetadataImage image, int brokerId) {
        if (image.cluster().broker(brokerId) == null) {
            throw new ControllerException(Errors.BROKER_ID_NOT_REGISTERED, "Broker " + brokerId + " is not registered");
        }
        long first = image.producerIds().nextProducerId();
        if (first > Long.MAX_VALUE - producerIdBlockSize) {
            throw new ControllerException(Errors.UNKNOWN_SERVER_ERROR, "Exhausted all producer ids");
        }
        return new ControllerResult<>(List.of(new ProducerIdsRecord(brokerId, first + producerIdBlockSize)),
            new ProducerIdsBlock(brokerId, first, producerIdBlockSize));
    }
}
