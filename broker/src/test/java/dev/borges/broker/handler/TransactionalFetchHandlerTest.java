package dev.borges.broker.handler;

import static dev.borges.broker.handler.HandlerTestContext.fetchRequest;
import static dev.borges.broker.handler.HandlerTestContext.header;
import static dev.borges.broker.handler.HandlerTestContext.only;
import static dev.borges.broker.handler.HandlerTestContext.records;
import static dev.borges.broker.handler.HandlerTestContext.txnRecords;
import static dev.borges.broker.handler.HandlerTestContext.values;
import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.broker.txn.TxnMarkerWriter;
import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.message.FetchRequestData;
import dev.borges.protocol.message.FetchResponseData;
import dev.borges.protocol.message.ListOffsetsRequestData;
import dev.borges.protocol.message.ListOffsetsResponseData;
import dev.borges.storage.TopicPartition;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Produce, transaction markers and Fetch/ListOffsets together: transactional batches produced
 * through the Produce handler, markers written as the transaction coordinator will write them, and
 * what consumers of either isolation level are answered.
 */
class TransactionalFetchHandlerTest {
    private static final long NOW = System.currentTimeMillis();
    private static final long A = 5001L;
    private static final long B = 5002L;
    private static final long C = 5003L;
    private static final TopicPartition ORDERS_0 = new TopicPartition("orders", 0);

    @TempDir
    Path logDir;

    private HandlerTestContext ctx;

    @BeforeEach
    void start() {
        ctx = new HandlerTestContext(logDir, 1);
    }

    @AfterEach
    void stop() {
        ctx.close();
    }

    private long produced(dev.borges.protocol.record.MemoryRecords records) {
        var response = ctx.produce(9, "orders", 0, records).responses().get(0).partitionResponses().get(0);
        assertThat(response.errorCode()).as(response.errorMessage()).isEqualTo(Errors.NONE.code);
        return response.baseOffset();
    }

    private TxnMarkerWriter.Result marker(long producerId, boolean commit) {
        return ctx.txnMarkers.write(ORDERS_0, producerId, (short) 0, 0, commit);
    }

    private FetchResponseData.PartitionData fetch(int isolationLevel, long offset) {
        FetchRequestData request = fetchRequest("orders", 0, offset, 0, 1).setIsolationLevel((byte) isolationLevel);
        return only(ctx.fetch.handle(header(ApiKey.FETCH, 12), request).join());
    }

    @Test
    void readCommittedStopsAtTheLastStableOffsetAndNamesTheAbortedTransactions() {
        produced(txnRecords(A, 0, NOW, "a-aborted"));       // 0
        produced(txnRecords(B, 0, NOW, "b-committed"));     // 1
        produced(records(NOW, "plain"));                    // 2
        assertThat(marker(A, false).offset()).isEqualTo(3);  // 3 ABORT
        assertThat(marker(B, true).error()).isEqualTo(Errors.NONE); // 4 COMMIT
        produced(txnRecords(C, 0, NOW, "c-open"));          // 5
        produced(records(NOW, "after"));                    // 6

        FetchResponseData.PartitionData committed = fetch(1, 0);
        assertThat(committed.errorCode()).isEqualTo(Errors.NONE.code);
        assertThat(committed.highWatermark()).isEqualTo(7);
        assertThat(committed.lastStableOffset()).isEqualTo(5);
        assertThat(values(committed.records())).as("data records up to the last stable offset (markers are control records)")
            .contains("0:a-aborted", "1:b-committed", "2:plain").doesNotContain("5:c-open", "6:after");
        assertThat(committed.abortedTransactions()).containsExactly(
            new FetchResponseData.AbortedTransaction().setProducerId(A).setFirstOffset(0));

        FetchResponseData.PartitionData uncommitted = fetch(0, 0);
        assertThat(uncommitted.lastStableOffset()).as("reported at every isolation level").isEqualTo(5);
        assertThat(values(uncommitted.records())).contains("5:c-open", "6:after");
        assertThat(uncommitted.abortedTransactions()).as("only read_committed fetches get them").isNull();

        FetchResponseData.PartitionData fromTheBound = fetch(1, 5);
        assertThat(fromTheBound.records().sizeInBytes()).isZero();
        assertThat(fromTheBound.abortedTransactions()).isEmpty();
        marker(C, false);
        FetchResponseData.PartitionData afterTheAbort = fetch(1, 5);
        assertThat(afterTheAbort.lastStableOffset()).isEqualTo(8);
        assertThat(values(afterTheAbort.records())).contains("5:c-open", "6:after");
        assertThat(afterTheAbort.abortedTransactions()).containsExactly(
            new FetchResponseData.AbortedTransaction().setProducerId(C).setFirstOffset(5));
    }

    @Test
    void aReadCommittedLongPollIsAnsweredWhenTheTransactionItWaitsBehindEnds() throws Exception {
        produced(txnRecords(A, 0, NOW, "in-txn"));
        FetchRequestData request = fetchRequest("orders", 0, 0, 30_000, 1).setIsolationLevel((byte) 1);
        CompletableFuture<FetchResponseData> waiting = ctx.fetch.handle(header(ApiKey.FETCH, 12), request);
        Thread.sleep(50);
        assertThat(waiting).as("nothing stable to read yet").isNotDone();

        produced(records(NOW, "behind-the-transaction"));
        Thread.sleep(50);
        assertThat(waiting).as("new records behind an open transaction are not readable either").isNotDone();

        assertThat(marker(A, true).error()).isEqualTo(Errors.NONE);

        FetchResponseData.PartitionData answered = only(waiting.get(5, TimeUnit.SECONDS));
        assertThat(values(answered.records())).contains("0:in-txn", "1:behind-the-transaction");
        assertThat(answered.lastStableOffset()).isEqualTo(3);
    }

    @Test
    void aReadUncommittedLongPollDoesNotWaitForTransactions() throws Exception {
        FetchRequestData request = fetchRequest("orders", 0, 0, 30_000, 1);
        CompletableFuture<FetchResponseData> waiting = ctx.fetch.handle(header(ApiKey.FETCH, 12), request);
        produced(txnRecords(A, 0, NOW, "in-txn"));
        assertThat(values(only(waiting.get(5, TimeUnit.SECONDS)).records())).containsExactly("0:in-txn");
    }

    @Test
    void listOffsetsAnswersTheLastStableOffsetForReadCommitted() {
        produced(records(NOW, "plain"));
        produced(txnRecords(A, 0, NOW, "open"));
        produced(records(NOW, "after"));

        assertThat(latest(0).offset()).isEqualTo(3);
        assertThat(latest(1).offset()).isEqualTo(1);
        marker(A, true);
        assertThat(latest(1).offset()).isEqualTo(4);
    }

    private ListOffsetsResponseData.ListOffsetsPartitionResponse latest(int isolationLevel) {
        ListOffsetsRequestData request = new ListOffsetsRequestData().setReplicaId(-1).setIsolationLevel((byte) isolationLevel);
        request.topics().add(new ListOffsetsRequestData.ListOffsetsTopic().setName("orders"));
        request.topics().get(0).partitions().add(new ListOffsetsRequestData.ListOffsetsPartition().setPartitionIndex(0)
            .setTimestamp(-1).setCurrentLeaderEpoch(-1));
        return ctx.listOffsets.handle(header(ApiKey.LIST_OFFSETS, 8), request).join().topics().get(0).partitions().get(0);
    }

    @Test
    void markersAreFencedByProducerAndCoordinatorEpochs() {
        produced(txnRecords(A, 0, NOW, "x"));
        assertThat(ctx.txnMarkers.write(ORDERS_0, A, (short) 0, 3, false).error()).isEqualTo(Errors.NONE);
        produced(txnRecords(A, 1, NOW, "y"));

        assertThat(ctx.txnMarkers.write(ORDERS_0, A, (short) 0, 2, true).error()).isEqualTo(Errors.TRANSACTION_COORDINATOR_FENCED);
        assertThat(ctx.txnMarkers.write(ORDERS_0, A, (short) -1, 3, true).error()).isEqualTo(Errors.INVALID_PRODUCER_EPOCH);
        assertThat(ctx.txnMarkers.write(new TopicPartition("orders", 9), A, (short) 0, 3, true).error())
            .isEqualTo(Errors.UNKNOWN_TOPIC_OR_PARTITION);
        assertThat(fetch(1, 0).lastStableOffset()).as("the fenced markers wrote nothing").isEqualTo(2);
        assertThat(ctx.txnMarkers.write(ORDERS_0, A, (short) 0, 3, true).offset()).isEqualTo(3);
    }

    @Test
    void aProducerThatWritesPlainRecordsInsideItsTransactionIsRefused() {
        produced(txnRecords(A, 0, NOW, "x"));
        var idempotent = new dev.borges.protocol.record.RecordBatchBuilder(0L).producer(A, (short) 0, 1)
            .append(NOW, null, "plain".getBytes()).build();
        assertThat(ctx.produce(9, "orders", 0, idempotent).responses().get(0).partitionResponses().get(0).errorCode())
            .isEqualTo(Errors.INVALID_TXN_STATE.code);
    }

    @Test
    void anIncrementalFetchSessionReportsAPartitionWhoseLastStableOffsetMoved() {
        produced(txnRecords(A, 0, NOW, "x"));
        FetchRequestData full = fetchRequest("orders", 0, 1, 0, 1).setIsolationLevel((byte) 0).setSessionEpoch(0);
        FetchResponseData first = ctx.fetch.handle(header(ApiKey.FETCH, 12), full).join();
        int session = first.sessionId();
        assertThat(session).isNotZero();
        FetchRequestData incremental = new FetchRequestData().setReplicaId(-1).setMaxWaitMs(0).setMinBytes(1).setMaxBytes(1 << 20)
            .setIsolationLevel((byte) 0).setSessionId(session).setSessionEpoch(1);
        assertThat(ctx.fetch.handle(header(ApiKey.FETCH, 12), incremental).join().responses()).as("nothing changed").isEmpty();

        marker(A, true); // the high watermark moves too: the marker is a record
        FetchResponseData afterMarker = ctx.fetch.handle(header(ApiKey.FETCH, 12), incremental.setSessionEpoch(2)).join();
        assertThat(afterMarker.responses()).hasSize(1);
        assertThat(only(afterMarker).lastStableOffset()).isEqualTo(2);
        assertThat(only(afterMarker).highWatermark()).isEqualTo(2);
    }
}
