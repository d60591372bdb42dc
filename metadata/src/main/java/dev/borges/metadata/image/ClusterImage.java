package dev.borges.metadata.image;

import dev.borges.metadata.record.MetadataRecord;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/** The registered brokers by id (ordered). Immutable. */
public record ClusterImage(SortedMap<Integer, BrokerRegistration> brokers) {
    public static final ClusterImage EMPTY = new ClusterImage(new TreeMap<>());

    public ClusterImage {
        brokers = Collections.unmodifiableSortedMap(new TreeMap<>(brokers));
    }

    /** The broker with this id, or null. */
    public BrokerRegistration broker(int id) {
        return brokers.get(id);
    }

    /** Registered broker ids, ascending. */
    public List<Integer> brokerIds() {
        return List.copyOf(brokers.keySet());
    }

    void toRecords(List<MetadataRecord> out) {
        for (Map.Entry<Integer, BrokerRegistration> entry : brokers.entrySet()) {
            out.add(entry.getValue().toRecord());
        }
    }
}
