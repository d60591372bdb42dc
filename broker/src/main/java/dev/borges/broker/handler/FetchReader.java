package dev.borges.broker.handler;

import dev.borges.broker.partition.Partition;
import dev.borges.broker.partition.PartitionManager;
import dev.borges.protocol.Errors;
import dev.borges.protocol.message.FetchRequestData;
import dev.borges.protocol.message.FetchResponseData;
import dev.borges.protocol.record.MemoryRecords;
import dev.borges.storage.TopicPartition;
import dev.borges.storage.index.AbortedTxn;
import dev.borges.storage.log.FetchDataInfo;
import dev.borges.storage.log.FetchIsolation;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads what one Fetch request asks for, as often as its delayed completion needs: how many bytes
 * are available ({@link #availableBytes}) and the response itself ({@link #read}), honouring the
 * per-partition and per-response byte limits (the first partition with data always returns at
 * least one whole batch, so a consumer makes progress whatever the limits).
 *
 * <p>The partitions come from the request, or from its fetch session ({@link FetchSessions}).
 * Consumers with {@code isolation_level} READ_UNCOMMITTED (0) read up to the high watermark; with
 * READ_COMMITTED (1) up to the last stable offset, and each partition's answer names the aborted
 * transactions overlapping the records it carries, which the consumer drops. Every answer carries
 * the partition's last stable offset, whatever the isolation level, as Kafka's does. A follower
 * ({@code replicaId >= 0}) reads to the log end.
 */
final class FetchReader {
    /** {@code isolation_level} of a consumer that reads only committed records. */
    private static final byte READ_COMMITTED = 1;

    private final PartitionManager partitions;
    private final FetchRequestData request;
    private final boolean byId;
    private final FetchSessions.Context session;
    private final List<Requested> requested = new ArrayList<>();
    private final FetchIsolation isolation;

    private record Requested(FetchSessions.PartitionState state, Optional<String> name) {
        FetchRequestData.FetchTopic topic() {
            return state.topic;
        }

        FetchRequestData.FetchPartition partition() {
            return state.request;
        }

        Optional<TopicPartition> topicPartition() {
            return name.map(n -> new TopicPartition(n, state.request.partition()));
        }
    }

    /** @param session the partitions to read, from the request or its fetch session */
    FetchReader(PartitionManager partitions, TopicIds topics, FetchRequestData request, boolean byId, FetchSessions.Context session) {
        this.partitions = partitions;
        this.request = request;
        this.byId = byId;
        this.session = session;
        int replicaId = request.replicaId() >= 0 ? request.replicaId() : request.replicaState().replicaId();
        this.isolation = replicaId >= 0 ? FetchIsolation.LOG_END
            : request.isolationLevel() == READ_COMMITTED ? FetchIsolation.TXN_COMMITTED : FetchIsolation.HIGH_WATERMARK;
        for (FetchSessions.PartitionState state : session.partitions()) {
            Optional<String> name = byId ? topics.name(state.topic.topicId()) : Optional.of(state.topic.topic());
            requested.add(new Requested(state, name));
        }
    }

    /** The partitions whose appends may complete a waiting fetch. */
    List<TopicPartition> partitions() {
        List<TopicPartition> result = new ArrayList<>();
        for (Requested each : requested) {
            each.topicPartition().ifPresent(result::add);
        }
        return result;
    }

    /**
     * Bytes readable now from the fetch offsets (up to each partition's limit), or
     * {@code Integer.MAX_VALUE} if some partition has an error to report: then the fetch answers at once.
     */
    long availableBytes() {
        long total = 0;
        for (Requested each : requested) {
            Optional<TopicPartition> topicPartition = each.topicPartition();
            if (topicPartition.isEmpty()) {
                return Integer.MAX_VALUE;
            }
            try {
                Partition partition = partitions.leader(topicPartition.get());
                if (LeaderEpochCheck.check(each.partition().currentLeaderEpoch(), partition.leaderEpoch()) != Errors.NONE) {
                    return Integer.MAX_VALUE; // an error to report: answer now
                }
                long fetchOffset = each.partition().fetchOffset();
                long end = switch (isolation) {
                    case LOG_END -> partition.log().logEndOffset();
                    case HIGH_WATERMARK -> partition.highWatermark();
                    case TXN_COMMITTED -> partition.lastStableOffset();
                };
                if (fetchOffset > partition.log().logEndOffset() || fetchOffset < partition.log().logStartOffset()) {
                    return Integer.MAX_VALUE; // out of range: answer now
                }
                if (fetchOffset < end) {
                    // a whole first batch counts even if larger than the partition's limit: it will be sent
                    FetchDataInfo info = partition.read(fetchOffset, each.partition().partitionMaxBytes(), isolation, true);
                    total += info.records().sizeInBytes();
                }
            } catch (RuntimeException e) {
                return Integer.MAX_VALUE;
            }
        }
        return total;
    }

    /**
     * The response: every partition for a full fetch; for an incremental one, only partitions with
     * records, an error, or a high watermark or log start offset the session has not been told yet.
     */
    FetchResponseData read() {
        FetchResponseData response = new FetchResponseData().setSessionId(session.responseSessionId());
        int responseBytesLeft = request.maxBytes() > 0 ? request.maxBytes() : Integer.MAX_VALUE;
        boolean firstWithData = true;
        Map<String, FetchResponseData.FetchableTopicResponse> byTopic = new LinkedHashMap<>();
        for (Requested each : requested) {
            FetchResponseData.PartitionData data = readPartition(each, Math.min(each.partition().partitionMaxBytes(), responseBytesLeft),
                firstWithData);
            int size = data.records() == null ? 0 : data.records().sizeInBytes();
            if (size > 0) {
                firstWithData = false;
                responseBytesLeft = Math.max(0, responseBytesLeft - size);
            }
            FetchSessions.PartitionState state = each.state();
            boolean news = size > 0 || data.errorCode() != Errors.NONE.code || data.highWatermark() != state.lastHighWatermark
                || data.logStartOffset() != state.lastLogStartOffset || data.lastStableOffset() != state.lastStableOffset;
            state.lastHighWatermark = data.highWatermark();
            state.lastLogStartOffset = data.logStartOffset();
            state.lastStableOffset = data.lastStableOffset();
            if (!session.incremental() || news) {
                String topicKey = byId ? each.topic().topicId().toString() : each.topic().topic();
                byTopic.computeIfAbsent(topicKey, k -> {
                    FetchResponseData.FetchableTopicResponse topic = new FetchResponseData.FetchableTopicResponse();
                    if (byId) {
                        topic.setTopicId(each.topic().topicId());
                    } else {
                        topic.setTopic(each.topic().topic());
                    }
                    response.responses().add(topic);
                    return topic;
                }).partitions().add(data);
            }
        }
        return response;
    }

    private static List<FetchResponseData.AbortedTransaction> abortedTransactions(List<AbortedTxn> aborted) {
        List<FetchResponseData.AbortedTransaction> result = new ArrayList<>(aborted.size());
        for (AbortedTxn txn : aborted) {
            result.add(new FetchResponseData.AbortedTransaction().setProducerId(txn.producerId()).setFirstOffset(txn.firstOffset()));
        }
        return result;
    }

    private FetchResponseData.PartitionData readPartition(Requested each, int maxBytes, boolean minOneBatch) {
        FetchResponseData.PartitionData data = new FetchResponseData.PartitionData()
            .setPartitionIndex(each.partition().partition())
            .setRecords(MemoryRecords.EMPTY)
            .setHighWatermark(-1)
            .setLastStableOffset(-1)
            .setLogStartOffset(-1);
        Optional<TopicPartition> topicPartition = each.topicPartition();
        if (topicPartition.isEmpty()) {
            return data.setErrorCode((byId ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION).code);
        }
        try {
            Partition partition = partitions.leader(topicPartition.get());
            Errors fenced = LeaderEpochCheck.check(each.partition().currentLeaderEpoch(), partition.leaderEpoch());
            if (fenced != Errors.NONE) {
                return data.setErrorCode(fenced.code);
            }
            // The last stable offset first: read after it, the high watermark is never below it.
            long lastStableOffset = partition.lastStableOffset();
            data.setHighWatermark(partition.highWatermark())
                .setLastStableOffset(lastStableOffset)
                .setLogStartOffset(partition.log().logStartOffset());
            FetchDataInfo info = partition.read(each.partition().fetchOffset(), maxBytes, isolation, minOneBatch);
            data.setAbortedTransactions(info.abortedTransactions().map(FetchReader::abortedTransactions).orElse(null));
            return data.setErrorCode(Errors.NONE.code).setRecords(info.records());
        } catch (RuntimeException e) {
            return data.setErrorCode(HandlerErrors.toError(e, "a fetch from " + topicPartition.get()).code);
        }
    }
}
