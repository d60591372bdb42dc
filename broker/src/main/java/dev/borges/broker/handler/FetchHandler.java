package dev.borges.broker.handler;

import dev.borges.broker.partition.PartitionManager;
import dev.borges.broker.purgatory.Purgatory;
import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.RequestHeader;
import dev.borges.protocol.message.FetchRequestData;
import dev.borges.protocol.message.FetchResponseData;
import dev.borges.storage.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Fetch: reads each requested partition from its fetch offset and answers with the bytes as file
 * slices (sent with zero-copy by the network layer). If fewer than {@code min.bytes} are available
 * the request waits in the purgatory, up to {@code max.wait.ms}, until an append to one of its
 * partitions makes enough arrive ({@link DelayedFetch}).
 *
 * <p>From version 7, fetch sessions (KIP-227, {@link FetchSessions}) let clients send and receive
 * only what changed.
 */
public final class FetchHandler implements ApiHandler<FetchRequestData, FetchResponseData> {
    private final PartitionManager partitions;
    private final TopicIds topics;
    private final Purgatory<TopicPartition> purgatory;
    private final FetchSessions sessions;

    public FetchHandler(PartitionManager partitions, TopicIds topics, Purgatory<TopicPartition> purgatory, FetchSessions sessions) {
        this.partitions = partitions;
        this.topics = topics;
        this.purgatory = purgatory;
        this.sessions = sessions;
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.FETCH;
    }

    @Override
    public CompletableFuture<FetchResponseData> handle(RequestHeader header, FetchRequestData request) {
        boolean byId = header.apiVersion() >= 13;
        FetchSessions.Context session = header.apiVersion() >= 7 ? sessions.resolve(request, byId)
            : new FetchSessions.Context(Errors.NONE, null, false, FetchSessions.resolveWithoutSession(request));
        if (session.error() != Errors.NONE) {
            return CompletableFuture.completedFuture(new FetchResponseData().setErrorCode(session.error().code).setSessionId(0));
        }
        FetchReader reader = new FetchReader(partitions, topics, request, byId, session);
        CompletableFuture<FetchResponseData> response = new CompletableFuture<>();
        DelayedFetch delayed = new DelayedFetch(reader, request.minBytes(), request.maxWaitMs(), response);
        List<TopicPartition> keys = new ArrayList<>(reader.partitions());
        if (request.maxWaitMs() <= 0 || request.minBytes() <= 0 || keys.isEmpty()) {
            delayed.forceComplete();
        } else {
            purgatory.tryCompleteElseWatch(delayed, keys);
        }
        return response;
    }
}
