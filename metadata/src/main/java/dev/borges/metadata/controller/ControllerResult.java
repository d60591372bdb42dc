package dev.borges.metadata.controller;

import dev.borges.metadata.record.MetadataRecord;
import java.util.List;

/**
 * What a validated write produces: the records to commit (all in one atomic batch) and the response
 * to return once they are committed. Kafka's {@code ControllerResult}. An empty record list means
 * nothing to commit (every item failed validation, or nothing changes).
 */
record ControllerResult<T>(List<MetadataRecord> records, T response) {
    ControllerResult {
        records = List.copyOf(records);
    }
}
