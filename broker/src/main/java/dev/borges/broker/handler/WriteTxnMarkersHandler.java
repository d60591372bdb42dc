package dev.borges.broker.handler;

import dev.borges.broker.txn.TxnMarkerRouter;
import dev.borges.protocol.ApiKey;
import dev.borges.protocol.RequestHeader;
import dev.borges.protocol.message.WriteTxnMarkersRequestData;
import dev.borges.protocol.message.WriteTxnMarkersResponseData;
import dev.borges.storage.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * WriteTxnMarkers: a transaction coordinator (on another broker, once there are several) asks this
 * broker to end transactions on partitions it leads. Each marker goes through the same
 * {@link TxnMarkerRouter} the local coordinator uses. Errors are per partition.
 */
public final class WriteTxnMarkersHandler implements ApiHandler<WriteTxnMarkersRequestData, WriteTxnMarkersResponseData> {
    private final TxnMarkerRouter markers;

    public WriteTxnMarkersHandler(TxnMarkerRouter markers) {
        this.markers = markers;
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
                    writes.add(markers.write(new TopicPartition(topic.name(), index), marker.producerId(), marker.producerEpoch(),
                        marker.coordinatorEpoch(), marker.transactionResult()).thenAccept(error -> partitionResult.setErrorCode(error.code)));
                }
                result.topics().add(topicResult);
            }
            response.markers().add(result);
        }
        return CompletableFuture.allOf(writes.toArray(CompletableFuture[]::new)).thenApply(ignored -> response);
    }
}
