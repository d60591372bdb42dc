package dev.borges.broker.handler;

import static dev.borges.broker.handler.HandlerTestContext.fetchRequest;
import static dev.borges.broker.handler.HandlerTestContext.header;
import static dev.borges.broker.handler.HandlerTestContext.records;
import static dev.borges.broker.handler.HandlerTestContext.values;
import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.message.FetchRequestData;
import dev.borges.protocol.message.FetchResponseData;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** KIP-227 fetch sessions as a consumer of two partitions sees them. */
class FetchSessionTest {
    private static final long NOW = System.currentTimeMillis();

    @TempDir
    Path logDir;

    private HandlerTestContext ctx;

    @BeforeEach
    void start() {
        ctx = new HandlerTestContext(logDir, 2);
        ctx.produce(9, "orders", 0, records(NOW, "a0"));
        ctx.produce(9, "orders", 1, records(NOW, "b0"));
    }

    @AfterEach
    void stop() {
        ctx.close();
    }

    /** A fetch of both partitions, or of the given ones, with a session id and epoch. */
    private static FetchRequestData request(int sessionId, int epoch, long offset0, long offset1, boolean both) {
        FetchRequestData request = fetchRequest("orders", 0, offset0, 0, 1).setSessionId(sessionId).setSessionEpoch(epoch);
        if (both) {
            request.topics().get(0).partitions().add(new FetchRequestData.FetchPartition().setPartition(1).setFetchOffset(offset1)
                .setPartitionMaxBytes(1024 * 1024).setCurrentLeaderEpoch(-1));
        } else {
            request.topics().get(0).partitions().clear();
        }
        return request;
    }

    private FetchResponseData fetch(FetchRequestData request) {
        return ctx.fetch.handle(header(ApiKey.FETCH, 12), request).join();
    }

    private static List<Integer> partitionsIn(FetchResponseData response) {
        return response.responses().stream().flatMap(t -> t.partitions().stream()).map(FetchResponseData.PartitionData::partitionIndex)
            .toList();
    }

    @Test
    void aSessionAnswersOnlyWhatChanged() {
        FetchResponseData first = fetch(request(0, 0, 0, 0, true));
        int session = first.sessionId();
        assertThat(session).as("a session was created").isNotZero();
        assertThat(partitionsIn(first)).containsExactly(0, 1);

        // the client consumed both records and now asks incrementally, naming the new positions
        FetchResponseData nothingNew = fetch(request(session, 1, 1, 1, true));
        assertThat(nothingNew.sessionId()).isEqualTo(session);
        assertThat(partitionsIn(nothingNew)).as("no news: no partitions").isEmpty();

        ctx.produce(9, "orders", 1, records(NOW, "b1"));
        FetchResponseData news = fetch(request(session, 2, 0, 0, false)); // positions unchanged: names nothing
        assertThat(partitionsIn(news)).containsExactly(1);
        assertThat(values(news.responses().get(0).partitions().get(0).records())).containsExactly("1:b1");
    }

    @Test
    void forgottenPartitionsLeaveTheSession() {
        int session = fetch(request(0, 0, 0, 0, true)).sessionId();
        FetchRequestData forget = request(session, 1, 1, 1, false);
        forget.forgottenTopicsData().add(new FetchRequestData.ForgottenTopic().setTopic("orders").setPartitions(List.of(1)));
        fetch(forget);
        ctx.produce(9, "orders", 1, records(NOW, "b1"));
        ctx.produce(9, "orders", 0, records(NOW, "a1"));
        assertThat(partitionsIn(fetch(request(session, 2, 0, 0, false)))).containsExactly(0);
    }

    @Test
    void aWrongEpochOrUnknownSessionIsRefused() {
        int session = fetch(request(0, 0, 0, 0, true)).sessionId();
        assertThat(fetch(request(session, 5, 1, 1, false)).errorCode()).isEqualTo(Errors.INVALID_FETCH_SESSION_EPOCH.code);
        assertThat(fetch(request(session + 1, 1, 1, 1, false)).errorCode()).isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND.code);
    }

    @Test
    void theFinalEpochClosesTheSessionAndFetchesInFull() {
        int session = fetch(request(0, 0, 0, 0, true)).sessionId();
        FetchResponseData closing = fetch(request(session, -1, 0, 0, true));
        assertThat(closing.sessionId()).isZero();
        assertThat(partitionsIn(closing)).containsExactly(0, 1);
        assertThat(fetch(request(session, 1, 1, 1, false)).errorCode()).isEqualTo(Errors.FETCH_SESSION_ID_NOT_FOUND.code);
    }

    @Test
    void aFullCacheOfRecentSessionsGivesNewClientsNoSessionRatherThanEvictingLiveOnes() {
        FetchSessions small = new FetchSessions(2);
        int first = small.resolve(request(0, 0, 0, 0, true), false).responseSessionId();
        int second = small.resolve(request(0, 0, 0, 0, true), false).responseSessionId();
        FetchSessions.Context third = small.resolve(request(0, 0, 0, 0, true), false);
        assertThat(first).isNotZero();
        assertThat(second).isNotZero();
        assertThat(third.responseSessionId()).as("no slot: no session, a full fetch").isZero();
        assertThat(third.partitions()).hasSize(2);
        assertThat(small.size()).isEqualTo(2);
        assertThat(small.resolve(request(first, 1, 1, 1, false), false).error()).as("the live sessions survive").isEqualTo(Errors.NONE);
    }
}
