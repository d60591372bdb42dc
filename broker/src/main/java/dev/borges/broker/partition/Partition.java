package dev.borges.broker.partition;

import dev.borges.protocol.Errors;
import dev.borges.protocol.record.ControlRecordType;
import dev.borges.protocol.record.MemoryRecords;
import dev.borges.protocol.types.Uuid;
import dev.borges.storage.StorageException;
import dev.borges.storage.TopicPartition;
import dev.borges.storage.log.FetchDataInfo;
import dev.borges.storage.log.FetchIsolation;
import dev.borges.storage.log.LogAppendInfo;
import dev.borges.storage.log.PartitionLog;
import dev.borges.storage.producer.AppendOrigin;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A partition this broker leads: its log, its leader epoch, and the in-sync replicas whose log
 * end offsets move the high watermark (the minimum of them). With a replication factor of one the
 * ISR is this broker alone and the high watermark follows the log end; followers join the same
 * bookkeeping when replication arrives, without reshaping this class.
 *
 * <p>Threading: appends are serialised by the log; the replica end offsets are a concurrent map;
 * the high watermark only moves forward, under this object's lock.
 */
public final class Partition {
    private final TopicPartition topicPartition;
    private final Uuid topicId;
    private final PartitionLog log;
    private final int localBrokerId;
    private volatile int leaderEpoch;
    private volatile Set<Integer> isr;
    /** The last known log end offset of each replica in the ISR (this broker's is its log's). */
    private final Map<Integer, Long> replicaEndOffsets = new ConcurrentHashMap<>();

    public Partition(TopicPartition topicPartition, Uuid topicId, PartitionLog log, int localBrokerId, int leaderEpoch,
                     Set<Integer> isr) {
        this.topicPartition = topicPartition;
        this.topicId = topicId;
        this.log = log;
        this.localBrokerId = localBrokerId;
        this.leaderEpoch = leaderEpoch;
        this.isr = Set.copyOf(isr);
        maybeIncrementHighWatermark();
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public Uuid topicId() {
        return topicId;
    }

    public PartitionLog log() {
        return log;
    }

    public int leaderEpoch() {
        return leaderEpoch;
    }

    public Set<Integer> isr() {
        return isr;
    }

    public int leaderId() {
        return localBrokerId;
    }

    public long highWatermark() {
        return log.highWatermark();
    }

    /** Below it every transaction is decided: what {@code read_committed} consumers may read. */
    public long lastStableOffset() {
        return log.lastStableOffset();
    }

    /** The controller made this broker leader again, possibly at a new epoch and with a new ISR. */
    public void becomeLeader(int newLeaderEpoch, Set<Integer> newIsr) {
        leaderEpoch = newLeaderEpoch;
        isr = Set.copyOf(newIsr);
        maybeIncrementHighWatermark();
    }

    /**
     * Appends a producer's batches. {@code acks=-1} needs {@code min.insync.replicas} in the ISR
     * first ({@code NOT_ENOUGH_REPLICAS}); the caller waits for the high watermark to pass the
     * last offset before answering such a request.
     */
    public LogAppendInfo appendAsLeader(MemoryRecords records, short requiredAcks) {
        if (requiredAcks == -1) {
            checkEnoughReplicas();
        }
        LogAppendInfo info = log.appendAsLeader(records, leaderEpoch);
        maybeIncrementHighWatermark();
        return info;
    }

    /**
     * Appends a coordinator's batch to its internal topic partition, as {@code acks=-1}: like a
     * producer's, except that a batch carrying a producer id (the group coordinator's transactional
     * offset commits) is held to the producer epoch and transaction rules but not to the client's
     * sequence numbers and retries ({@link AppendOrigin#COORDINATOR}).
     */
    public LogAppendInfo appendFromCoordinator(MemoryRecords records) {
        checkEnoughReplicas();
        LogAppendInfo info = log.appendAsLeader(records, leaderEpoch, AppendOrigin.COORDINATOR);
        maybeIncrementHighWatermark();
        return info;
    }

    /**
     * Writes the COMMIT or ABORT marker that ends {@code producerId}'s transaction here, as the
     * transaction coordinator of {@code coordinatorEpoch} asks (WriteTxnMarkers). Like an
     * {@code acks=-1} produce it needs {@code min.insync.replicas} in the ISR; the last stable offset
     * moves past the transaction once the high watermark passes the marker.
     *
     * @param result {@link ControlRecordType#COMMIT} or {@link ControlRecordType#ABORT}
     * @throws StorageException {@code NOT_ENOUGH_REPLICAS}, {@code INVALID_PRODUCER_EPOCH},
     *     {@code TRANSACTION_COORDINATOR_FENCED}, {@code KAFKA_STORAGE_ERROR}
     */
    public LogAppendInfo appendTxnMarker(long producerId, short producerEpoch, int coordinatorEpoch, ControlRecordType result) {
        checkEnoughReplicas();
        LogAppendInfo info = log.appendTxnMarker(producerId, producerEpoch, coordinatorEpoch, result, leaderEpoch);
        maybeIncrementHighWatermark();
        return info;
    }

    /**
     * Reads for a consumer (up to the high watermark, or the last stable offset for
     * {@code read_committed}) or a follower (up to the log end).
     */
    public FetchDataInfo read(long offset, int maxBytes, FetchIsolation isolation, boolean minOneBatch) {
        return log.read(offset, maxBytes, isolation, minOneBatch);
    }

    private void checkEnoughReplicas() {
        int minInSync = log.config().minInSyncReplicas();
        if (isr.size() < minInSync) {
            throw new StorageException(Errors.NOT_ENOUGH_REPLICAS, "Partition " + topicPartition + " has " + isr.size()
                + " in-sync replicas, fewer than min.insync.replicas=" + minInSync);
        }
    }

    /** The high watermark is the smallest log end offset among the in-sync replicas. */
    private synchronized void maybeIncrementHighWatermark() {
        long newHighWatermark = log.logEndOffset();
        for (int replica : isr) {
            if (replica != localBrokerId) {
                newHighWatermark = Math.min(newHighWatermark, replicaEndOffsets.getOrDefault(replica, 0L));
            }
        }
        if (newHighWatermark > log.highWatermark()) {
            log.updateHighWatermark(newHighWatermark);
        }
    }

    @Override
    public String toString() {
        return "Partition(" + topicPartition + ", leaderEpoch=" + leaderEpoch + ", isr=" + isr + ")";
    }
}
