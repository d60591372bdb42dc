package dev.borges.broker.txn;

import dev.borges.broker.coordinator.CoordinatorRecord;
import dev.borges.broker.coordinator.CoordinatorResult;
import dev.borges.broker.coordinator.CoordinatorShard;
import dev.borges.broker.coordinator.CoordinatorTimer;
import dev.borges.protocol.Errors;
import dev.borges.storage.TopicPartition;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The transactions of one {@code __transaction_state} partition: a map from transactional id to its
 * {@link TransactionMetadata}, changed only by {@link #replay}. Each operation checks a request
 * against the state the way Kafka's transaction coordinator does (transaction version 1) and
 * returns the record of the new state plus the answer; see {@link TransactionState} for the
 * transitions.
 *
 * <h2>Ending a transaction</h2>
 * EndTxn (or a timeout, or a fencing InitProducerId) writes PrepareCommit/PrepareAbort. Once that
 * record is committed, the markers of the transaction ({@link TxnMarkers}) go to the marker sender,
 * which writes them to every partition and then calls {@link #completeTransaction}, which writes
 * CompleteCommit/CompleteAbort. A shard loaded with transactions still preparing (the broker
 * stopped between the two records) hands their markers to the sender again as soon as it is
 * active, so a transaction always ends the way its prepare record said.
 *
 * <p>Threading: confined to the shard's thread in the {@link dev.borges.broker.coordinator.CoordinatorRuntime}.
 */
public final class TransactionCoordinatorShard implements CoordinatorShard {
    static final String ABORT_TIMED_OUT_TIMER = "abort-timed-out-transactions";
    static final String EXPIRE_IDS_TIMER = "expire-transactional-ids";
    static final String RESUME_MARKERS_TIMER = "resume-markers";

    private final int partition;
    private final int coordinatorEpoch;
    private final TxnConfig config;
    private final CoordinatorTimer timer;
    private final Consumer<TxnMarkers> markerSender;
    private final Map<String, TransactionMetadata> transactions = new HashMap<>();

    /**
     * @param coordinatorEpoch the leader epoch of the partition, written into every marker
     * @param markerSender where the markers of a prepared transaction go, once its prepare record is committed
     */
    public TransactionCoordinatorShard(int partition, int coordinatorEpoch, TxnConfig config, CoordinatorTimer timer,
                                       Consumer<TxnMarkers> markerSender) {
        this.partition = partition;
        this.coordinatorEpoch = coordinatorEpoch;
        this.config = config;
        this.timer = timer;
        this.markerSender = markerSender;
    }

    /** What InitProducerId answers; {@code needsProducerId} asks the caller to allocate an id and try again. */
    public record InitResult(Errors error, long producerId, short producerEpoch, boolean needsProducerId) {
        static InitResult failed(Errors error) {
            return new InitResult(error, -1L, (short) -1, false);
        }

        static final InitResult NEEDS_PRODUCER_ID = new InitResult(Errors.NONE, -1L, (short) -1, true);
    }

    // ---- replay and lifecycle ------------------------------------------------------------------

    @Override
    public void replay(CoordinatorRecord record) {
        String transactionalId = TransactionLogRecords.readKey(record.key());
        if (record.isTombstone()) {
            transactions.remove(transactionalId);
        } else {
            transactions.put(transactionalId, TransactionLogRecords.readValue(transactionalId, record.value()));
        }
    }

    @Override
    public void onLoaded(long nowMs) {
        scheduleAbortTimedOut();
        scheduleExpireIds();
        if (transactions.values().stream().anyMatch(metadata -> metadata.state().isPreparing())) {
            // A timer runs once the shard is active: its completions hand the markers on.
            timer.schedule(RESUME_MARKERS_TIMER, 0, now -> resumePreparedTransactions());
        }
    }

    @Override
    public void onUnloaded() {
        // Nothing waits in the shard: markers in flight notice the shard is gone and stop.
    }

    // ---- InitProducerId ------------------------------------------------------------------------

    /**
     * InitProducerId with a transactional id. A new id, or one whose epoch is exhausted, needs a
     * fresh producer id: without {@code candidateProducerId} ({@code -1}) the answer asks for one.
     * An ongoing transaction is aborted with the epoch bumped (fencing the old producer), and the
     * caller is told CONCURRENT_TRANSACTIONS, so it retries once the abort completes.
     *
     * @param expectedProducerId the producer id the client holds (v3+), or -1
     */
    public CoordinatorResult<InitResult> initProducerId(String transactionalId, int timeoutMs, long expectedProducerId,
                                                        short expectedEpoch, long candidateProducerId, long nowMs) {
        TransactionMetadata existing = transactions.get(transactionalId);
        if (existing == null) {
            if (candidateProducerId < 0) {
                return CoordinatorResult.of(InitResult.NEEDS_PRODUCER_ID);
            }
            TransactionMetadata created = new TransactionMetadata(transactionalId, candidateProducerId, (short) 0, timeoutMs,
                TransactionState.EMPTY, Set.of(), -1L, nowMs);
            return written(created, new InitResult(Errors.NONE, candidateProducerId, (short) 0, false));
        }
        if (expectedProducerId >= 0
            && (existing.producerId() != expectedProducerId || existing.producerEpoch() != expectedEpoch)) {
            return CoordinatorResult.of(InitResult.failed(Errors.PRODUCER_FENCED));
        }
        return switch (existing.state()) {
            case PREPARE_COMMIT, PREPARE_ABORT -> CoordinatorResult.of(InitResult.failed(Errors.CONCURRENT_TRANSACTIONS));
            case ONGOING -> prepare(fenced(existing), false, nowMs).withResponse(InitResult.failed(Errors.CONCURRENT_TRANSACTIONS));
            case EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT -> {
                if (existing.epochExhausted() && candidateProducerId < 0) {
                    yield CoordinatorResult.of(InitResult.NEEDS_PRODUCER_ID);
                }
                long producerId = existing.epochExhausted() ? candidateProducerId : existing.producerId();
                short epoch = existing.epochExhausted() ? 0 : (short) (existing.producerEpoch() + 1);
                TransactionMetadata bumped = existing.with(producerId, epoch, timeoutMs, TransactionState.EMPTY, Set.of(), -1L, nowMs);
                yield written(bumped, new InitResult(Errors.NONE, producerId, epoch, false));
            }
            case DEAD, PREPARE_EPOCH_FENCE -> throw new IllegalStateException("Transactional id " + transactionalId + " is in state "
                + existing.state() + ", which is never stored");
        };
    }

    // ---- AddPartitionsToTxn / AddOffsetsToTxn --------------------------------------------------

    /** Adds partitions to the producer's transaction, starting one if none is going on. */
    public CoordinatorResult<Errors> addPartitions(String transactionalId, long producerId, short producerEpoch,
                                                   Collection<TopicPartition> partitions, long nowMs) {
        TransactionMetadata metadata = transactions.get(transactionalId);
        Errors invalid = checkProducer(metadata, producerId, producerEpoch);
        if (invalid != Errors.NONE) {
            return CoordinatorResult.of(invalid);
        }
        if (metadata.state().isPreparing()) {
            return CoordinatorResult.of(Errors.CONCURRENT_TRANSACTIONS);
        }
        boolean ongoing = metadata.state() == TransactionState.ONGOING;
        if (ongoing && metadata.partitions().containsAll(partitions)) {
            return CoordinatorResult.of(Errors.NONE);
        }
        Set<TopicPartition> all = new LinkedHashSet<>(ongoing ? metadata.partitions() : Set.of());
        all.addAll(partitions);
        TransactionMetadata added = metadata.with(producerId, producerEpoch, metadata.timeoutMs(), TransactionState.ONGOING, all,
            ongoing ? metadata.startMs() : nowMs, nowMs);
        return written(added, Errors.NONE);
    }

    /**
     * Whether each of {@code partitions} is in the producer's ongoing transaction (the verify-only
     * AddPartitionsToTxn, and the check of a transactional Produce): NONE, or INVALID_TXN_STATE
     * for a partition not added; the producer's own error for all of them if it is not current.
     */
    public Map<TopicPartition, Errors> verify(String transactionalId, long producerId, short producerEpoch,
                                              Collection<TopicPartition> partitions) {
        TransactionMetadata metadata = transactions.get(transactionalId);
        Errors invalid = checkProducer(metadata, producerId, producerEpoch);
        Map<TopicPartition, Errors> result = new LinkedHashMap<>();
        for (TopicPartition topicPartition : partitions) {
            if (invalid != Errors.NONE) {
                result.put(topicPartition, invalid);
            } else {
                boolean added = metadata.state() == TransactionState.ONGOING && metadata.partitions().contains(topicPartition);
                result.put(topicPartition, added ? Errors.NONE : Errors.INVALID_TXN_STATE);
            }
        }
        return result;
    }

    // ---- EndTxn --------------------------------------------------------------------------------

    /** EndTxn from the producer: prepares the commit or abort; the markers follow once it is written. */
    public CoordinatorResult<Errors> endTransaction(String transactionalId, long producerId, short producerEpoch, boolean commit,
                                                    long nowMs) {
        TransactionMetadata metadata = transactions.get(transactionalId);
        Errors invalid = checkProducer(metadata, producerId, producerEpoch);
        if (invalid != Errors.NONE) {
            return CoordinatorResult.of(invalid);
        }
        Errors answer = switch (metadata.state()) {
            case ONGOING -> null;
            case COMPLETE_COMMIT -> commit ? Errors.NONE : Errors.INVALID_TXN_STATE; // a retried EndTxn
            case COMPLETE_ABORT -> commit ? Errors.INVALID_TXN_STATE : Errors.NONE;
            case PREPARE_COMMIT -> commit ? Errors.CONCURRENT_TRANSACTIONS : Errors.INVALID_TXN_STATE;
            case PREPARE_ABORT -> commit ? Errors.INVALID_TXN_STATE : Errors.CONCURRENT_TRANSACTIONS;
            case EMPTY, DEAD, PREPARE_EPOCH_FENCE -> Errors.INVALID_TXN_STATE;
        };
        if (answer != null) {
            return CoordinatorResult.of(answer);
        }
        return prepare(metadata, commit, nowMs).withResponse(Errors.NONE);
    }

    /**
     * Every marker of {@code markers} is written: the transaction is complete. Nothing happens if
     * the transaction moved on meanwhile (it cannot, while preparing, unless the id expired or the
     * shard was reloaded).
     */
    public CoordinatorResult<Void> completeTransaction(TxnMarkers markers, long nowMs) {
        TransactionMetadata metadata = transactions.get(markers.transactionalId());
        TransactionState preparing = markers.commit() ? TransactionState.PREPARE_COMMIT : TransactionState.PREPARE_ABORT;
        if (metadata == null || metadata.state() != preparing || metadata.producerId() != markers.producerId()
            || metadata.producerEpoch() != markers.producerEpoch()) {
            return CoordinatorResult.empty();
        }
        TransactionState complete = markers.commit() ? TransactionState.COMPLETE_COMMIT : TransactionState.COMPLETE_ABORT;
        TransactionMetadata completed = metadata.with(metadata.producerId(), metadata.producerEpoch(), metadata.timeoutMs(), complete,
            Set.of(), metadata.startMs(), nowMs);
        return CoordinatorResult.of(List.of(TransactionLogRecords.record(completed)), null);
    }

    // ---- timers --------------------------------------------------------------------------------

    /** Aborts every transaction older than its timeout, bumping the epoch so its producer is fenced. */
    CoordinatorResult<Void> abortTimedOutTransactions(long nowMs) {
        CoordinatorResult<Void> result = CoordinatorResult.empty();
        for (TransactionMetadata metadata : List.copyOf(transactions.values())) {
            if (metadata.timedOut(nowMs)) {
                result = result.and(prepare(fenced(metadata), false, nowMs));
            }
        }
        scheduleAbortTimedOut();
        return result;
    }

    /** Removes transactional ids idle for longer than {@code transactional.id.expiration.ms}. */
    CoordinatorResult<Void> expireTransactionalIds(long nowMs) {
        List<CoordinatorRecord> tombstones = new ArrayList<>();
        for (TransactionMetadata metadata : transactions.values()) {
            if (metadata.state().isIdle() && metadata.lastUpdateMs() + config.transactionalIdExpirationMs() <= nowMs) {
                tombstones.add(TransactionLogRecords.tombstone(metadata.transactionalId()));
            }
        }
        scheduleExpireIds();
        return CoordinatorResult.of(tombstones, null);
    }

    private CoordinatorResult<Void> resumePreparedTransactions() {
        CoordinatorResult.Builder builder = new CoordinatorResult.Builder();
        for (TransactionMetadata metadata : transactions.values()) {
            if (metadata.state().isPreparing()) {
                handOnWhenCommitted(builder, markers(metadata, metadata.state() == TransactionState.PREPARE_COMMIT));
            }
        }
        return builder.build(null);
    }

    private void scheduleAbortTimedOut() {
        timer.schedule(ABORT_TIMED_OUT_TIMER, config.abortTimedOutIntervalMs(), this::abortTimedOutTransactions);
    }

    private void scheduleExpireIds() {
        timer.schedule(EXPIRE_IDS_TIMER, config.removeExpiredIntervalMs(), this::expireTransactionalIds);
    }

    // ---- reads ---------------------------------------------------------------------------------

    public Optional<TransactionMetadata> describe(String transactionalId) {
        return Optional.ofNullable(transactions.get(transactionalId));
    }

    /**
     * Every transaction that passes the filters (empty filters pass all; a negative duration too),
     * as ListTransactions asks: the duration counts from the transaction's start, as in Kafka.
     */
    public List<TransactionMetadata> list(Set<TransactionState> states, Set<Long> producerIds, long minDurationMs, long nowMs) {
        List<TransactionMetadata> listed = new ArrayList<>();
        for (TransactionMetadata metadata : transactions.values()) {
            if ((states.isEmpty() || states.contains(metadata.state()))
                && (producerIds.isEmpty() || producerIds.contains(metadata.producerId()))
                && (minDurationMs < 0 || nowMs - metadata.startMs() >= minDurationMs)) {
                listed.add(metadata);
            }
        }
        return listed;
    }

    public int partition() {
        return partition;
    }

    // ---- helpers -------------------------------------------------------------------------------

    /** NONE if the request comes from the current producer of the id; Kafka's errors otherwise. */
    private static Errors checkProducer(TransactionMetadata metadata, long producerId, short producerEpoch) {
        if (metadata == null || metadata.producerId() != producerId) {
            return Errors.INVALID_PRODUCER_ID_MAPPING;
        }
        if (metadata.producerEpoch() != producerEpoch) {
            return Errors.PRODUCER_FENCED;
        }
        return Errors.NONE;
    }

    /** The ongoing transaction with its epoch bumped (unless exhausted), so its producer's next request is fenced. */
    private static TransactionMetadata fenced(TransactionMetadata metadata) {
        short epoch = metadata.epochExhausted() ? metadata.producerEpoch() : (short) (metadata.producerEpoch() + 1);
        return metadata.with(metadata.producerId(), epoch, metadata.timeoutMs(), metadata.state(), metadata.partitions(),
            metadata.startMs(), metadata.lastUpdateMs());
    }

    /** Writes PrepareCommit or PrepareAbort; once committed, the markers go to the sender. */
    private <T> CoordinatorResult<T> prepare(TransactionMetadata ongoing, boolean commit, long nowMs) {
        TransactionMetadata prepared = ongoing.withState(commit ? TransactionState.PREPARE_COMMIT : TransactionState.PREPARE_ABORT,
            nowMs);
        CoordinatorResult.Builder builder = new CoordinatorResult.Builder().record(TransactionLogRecords.record(prepared));
        handOnWhenCommitted(builder, markers(prepared, commit));
        return builder.build(null);
    }

    private void handOnWhenCommitted(CoordinatorResult.Builder builder, TxnMarkers markers) {
        CompletableFuture<TxnMarkers> committed = new CompletableFuture<>();
        committed.thenAccept(markerSender);
        builder.complete(committed, markers);
    }

    private TxnMarkers markers(TransactionMetadata metadata, boolean commit) {
        return new TxnMarkers(metadata.transactionalId(), partition, coordinatorEpoch, metadata.producerId(), metadata.producerEpoch(),
            commit, metadata.partitions());
    }

    private static <T> CoordinatorResult<T> written(TransactionMetadata metadata, T response) {
        return CoordinatorResult.of(List.of(TransactionLogRecords.record(metadata)), response);
    }
}
