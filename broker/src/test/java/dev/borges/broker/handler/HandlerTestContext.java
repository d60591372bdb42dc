package dev.borges.broker.handler;

import dev.borges.broker.partition.PartitionManager;
import dev.borges.broker.purgatory.Purgatory;
import dev.borges.broker.txn.TxnMarkerWriter;
import dev.borges.protocol.ApiKey;
import dev.borges.protocol.RequestHeader;
import dev.borges.protocol.message.FetchRequestData;
import dev.borges.protocol.message.FetchResponseData;
import dev.borges.protocol.message.ProduceRequestData;
import dev.borges.protocol.message.ProduceResponseData;
import dev.borges.protocol.record.MemoryRecords;
import dev.borges.protocol.record.Record;
import dev.borges.protocol.record.RecordBatch;
import dev.borges.protocol.record.RecordBatchBuilder;
import dev.borges.protocol.record.Records;
import dev.borges.protocol.types.Uuid;
import dev.borges.storage.Time;
import dev.borges.storage.TopicPartition;
import dev.borges.storage.config.LogConfig;
import dev.borges.storage.manager.LogManager;
import dev.borges.storage.manager.LogManagerConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/** A broker's partitions and handlers over a temporary log directory, without a network. */
final class HandlerTestContext implements AutoCloseable {
    static final Uuid ORDERS_ID = new Uuid(0x0123L, 0x4567L);

    final LogManager logManager;
    final PartitionManager partitions;
    final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();
    final Purgatory<TopicPartition> fetchPurgatory = new Purgatory<>("fetch", timer);
    final TopicIds topicIds = new TopicIds() {
        @Override
        public Optional<String> name(Uuid topicId) {
            return topicId.equals(ORDERS_ID) ? Optional.of("orders") : Optional.empty();
        }

        @Override
        public Uuid id(String topicName) {
            return topicName.equals("orders") ? ORDERS_ID : Uuid.ZERO;
        }
    };
    final ProduceHandler produce;
    final FetchHandler fetch;
    final ListOffsetsHandler listOffsets;
    final TxnMarkerWriter txnMarkers;

    HandlerTestContext(Path logDir, int partitionCount) {
        logManager = LogManager.open(logDir, LogManagerConfig.DEFAULTS, tp -> LogConfig.defaults(), Time.SYSTEM);
        partitions = new PartitionManager(1, logManager);
        for (int i = 0; i < partitionCount; i++) {
            partitions.becomeLeader(new TopicPartition("orders", i), ORDERS_ID, 0, Set.of(1), LogConfig.defaults());
        }
        produce = new ProduceHandler(partitions, topicIds, fetchPurgatory);
        fetch = new FetchHandler(partitions, topicIds, fetchPurgatory, new FetchSessions(1000));
        listOffsets = new ListOffsetsHandler(partitions);
        txnMarkers = new TxnMarkerWriter(partitions, fetchPurgatory);
    }

    static RequestHeader header(ApiKey key, int version) {
        return new RequestHeader(key, (short) version, 1, "test");
    }

    static MemoryRecords records(long timestamp, String... values) {
        RecordBatchBuilder builder = new RecordBatchBuilder(0L);
        for (String value : values) {
            builder.append(timestamp, ("key-" + value).getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    /** A transactional producer's batch of records "key-value"/"value", epoch 0, from {@code baseSequence}. */
    static MemoryRecords txnRecords(long producerId, int baseSequence, long timestamp, String... values) {
        RecordBatchBuilder builder = new RecordBatchBuilder(0L).producer(producerId, (short) 0, baseSequence).transactional(true);
        for (String value : values) {
            builder.append(timestamp, ("key-" + value).getBytes(StandardCharsets.UTF_8), value.getBytes(StandardCharsets.UTF_8));
        }
        return builder.build();
    }

    ProduceResponseData produce(int version, String topic, int partition, MemoryRecords records) {
        ProduceRequestData.TopicProduceData data = new ProduceRequestData.TopicProduceData();
        if (version >= 13) {
            data.setTopicId(topicIds.id(topic).equals(Uuid.ZERO) ? new Uuid(9, 9) : topicIds.id(topic));
        } else {
            data.setName(topic);
        }
        data.partitionData().add(new ProduceRequestData.PartitionProduceData().setIndex(partition).setRecords(records));
        ProduceRequestData request = new ProduceRequestData().setAcks((short) -1).setTimeoutMs(30_000);
        request.topicData().add(data);
        return produce.handle(header(ApiKey.PRODUCE, version), request).join();
    }

    static FetchRequestData fetchRequest(String topic, int partition, long offset, int maxWaitMs, int minBytes) {
        FetchRequestData request = new FetchRequestData().setReplicaId(-1).setMaxWaitMs(maxWaitMs).setMinBytes(minBytes)
            .setMaxBytes(50 * 1024 * 1024).setIsolationLevel((byte) 0).setSessionId(0).setSessionEpoch(-1);
        FetchRequestData.FetchTopic fetchTopic = new FetchRequestData.FetchTopic().setTopic(topic);
        fetchTopic.partitions().add(new FetchRequestData.FetchPartition().setPartition(partition).setFetchOffset(offset)
            .setPartitionMaxBytes(1024 * 1024).setCurrentLeaderEpoch(-1));
        request.topics().add(fetchTopic);
        return request;
    }

    /** The values in fetched records, in order. */
    static List<String> values(Records records) {
        ByteBuffer buffer = ByteBuffer.allocate(records.sizeInBytes());
        records.copyTo(buffer);
        List<String> values = new ArrayList<>();
        for (RecordBatch batch : MemoryRecords.readableView(buffer.flip()).completeBatches()) {
            for (Record record : batch.records()) {
                ByteBuffer value = record.value();
                byte[] bytes = new byte[value.remaining()];
                value.duplicate().get(bytes);
                values.add(record.offset() + ":" + new String(bytes, StandardCharsets.UTF_8));
            }
        }
        return values;
    }

    static FetchResponseData.PartitionData only(FetchResponseData response) {
        return response.responses().get(0).partitions().get(0);
    }

    @Override
    public void close() {
        fetchPurgatory.close();
        timer.shutdownNow();
        logManager.close();
    }

    /** What a dispatcher serving ApiVersions 0-4, Produce 3-13 and Fetch 4-17 would report. */
    static java.util.List<dev.borges.protocol.message.ApiVersionsResponseData.ApiVersion> handledApis() {
        return java.util.List.of(
            new dev.borges.protocol.message.ApiVersionsResponseData.ApiVersion().setApiKey(ApiKey.FETCH.id).setMinVersion((short) 4).setMaxVersion((short) 17),
            new dev.borges.protocol.message.ApiVersionsResponseData.ApiVersion().setApiKey(ApiKey.API_VERSIONS.id).setMinVersion((short) 0).setMaxVersion((short) 4),
            new dev.borges.protocol.message.ApiVersionsResponseData.ApiVersion().setApiKey(ApiKey.PRODUCE.id).setMinVersion((short) 3).setMaxVersion((short) 13));
    }
}
