package dev.borges.broker.handler;

import dev.borges.broker.group.GroupCoordinator;
import dev.borges.broker.txn.GroupTxnCompletion;
import dev.borges.broker.txn.TxnMarkerWriter;
import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.RequestHeader;
import dev.borges.protocol.message.WriteTxnMarkersRequestData;
import dev.borges.protocol.message.WriteTxnMarkersResponseData;
import dev.borges.storage.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * WriteTxnMarkers: a transaction coordinator (on another broker, once there are several) asks this
 * broker to end transactions on partitions it leads. Each marker goes through the same path the
 * local coordinator uses: {@link TxnMarkerWriter} for ordinary partitions, {@link GroupTxnCompletion}
 * for {@code __consumer_offsets}. Errors are per partition.
 */
public final class WriteTxnMarkersHandler implements ApiHandler<WriteTxnMarkersRequestData, WriteTxnMarkersResponseData> {
    private final TxnMarkerWriter markers;
    private final GroupTxnCompletion groups;

    public WriteTxnMarkersHandler(TxnMarkerWriter markers, GroupTxnCompletion groups) {
        this.markers = markers;
        this.groups = groups;
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.WRITE_TXN_MARKERS;
    }

    @Override
    public CompletableFuture<WriteTxnMarkersResponseData> handle(RequestHeader header, WriteTxnMarkersRequestData request) {
        List<CompletableFuture<?>> writes = new ArrayList<>();
        WriteTxnMarkersResponseData response = new WriteTxnMarkersResponseData();
        for (WriteTxnMarkersRequestData.WritableTxnMarker marker : request.markers()) {
            WriteTxnMarkersResponseData.WritableTxnMarkerResult result = new WriteTxnMarkersResponseData.WritableTxnMarkerResult()
                .setProducerId(marker.producerId());
            for (WriteTxnMarkersRequestData.WritableTxnMarkerTopic topic : marker.topics()) {
                WriteTxnMarkersResponseData.WritableTxnMarkerTopicResult topicResult =
                    new WriteTxnMarkersResponseData.WritableTxnMarkerTopicResult().setName(topic.name());
                for (int index : topic.partitionIndexes()) {
                    WriteTxnMarkersResponseData.WritableTxnMarkerPartitionResult partitionResult =
                        new WriteTxnMarkersResponseData.WritableTxnMarkerPartitionResult().setPartitionIndex(index);
                    topicResult.partitions().add(partitionResult);
                    writes.add(write(new TopicPartition(topic.name(), index), marker)
                        .thenAccept(error -> partitionResult.setErrorCode(error.code)));
                }
                result.topics().add(topicResult);
            }
            response.markers().add(result);
        }
        return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).thenApply(ignored -> response);
    }

    private CompletableFuture<Errors> write(TopicPartition partition, WriteTxnMarkersRequestData.WritableTxnMarker marker) {
        if (partition.topic().equals(GroupCoordinator.OFFSETS_TOPIC)) {
            return groups.completeTransaction(partition, marker.producerId(), marker.producerEpoch(), marker.coordinatorEpoch(),
                marker.transactionResult()).exceptionally(failure -> Errors.UNKNOWN_SERVER_ERROR);
        }
        return CompletableFuture.completedFuture(markers.write(partition, marker.producerId(), marker.producerEpoch(),
            marker.coordinatorEpoch(), marker.transactionResult()).error());
    }
}
