package dev.borges.broker.handler;

import dev.borges.broker.txn.TransactionCoordinator;
import dev.borges.broker.txn.TransactionMetadata;
import dev.borges.broker.txn.TransactionState;
import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.RequestHeader;
import dev.borges.protocol.message.ListTransactionsRequestData;
import dev.borges.protocol.message.ListTransactionsResponseData;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * ListTransactions: the transactions this broker coordinates, filtered by state names (unknown
 * names are echoed in {@code UnknownStateFilters}), producer ids, minimum running time (v1+) and a
 * regular expression on the transactional id (v2+, {@code INVALID_REGULAR_EXPRESSION} if it does
 * not compile). A partition still loading makes the answer {@code COORDINATOR_LOAD_IN_PROGRESS}.
 */
public final class ListTransactionsHandler implements ApiHandler<ListTransactionsRequestData, ListTransactionsResponseData> {
    private final TransactionCoordinator transactions;

    public ListTransactionsHandler(TransactionCoordinator transactions) {
        this.transactions = transactions;
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.LIST_TRANSACTIONS;
    }

    @Override
    public CompletableFuture<ListTransactionsResponseData> handle(RequestHeader header, ListTransactionsRequestData request) {
        ListTransactionsResponseData response = new ListTransactionsResponseData();
        Pattern pattern;
        try {
            String regex = request.transactionalIdPattern();
            pattern = regex == null || regex.isEmpty() ? null : Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            return CompletableFuture.completedFuture(response.setErrorCode(Errors.INVALID_REGULAR_EXPRESSION.code));
        }
        Set<TransactionState> states = EnumSet.noneOf(TransactionState.class);
        List<String> unknown = new ArrayList<>();
        for (String name : request.stateFilters()) {
            Optional<TransactionState> state = TransactionState.fromDisplayName(name);
            if (state.isPresent()) {
                states.add(state.get());
            } else {
                unknown.add(name);
            }
        }
        response.setUnknownStateFilters(unknown);
        if (!request.stateFilters().isEmpty() && states.isEmpty()) {
            return CompletableFuture.completedFuture(response.setErrorCode(Errors.NONE.code)); // no state can match
        }
        Set<Long> producerIds = new HashSet<>(request.producerIdFilters());
        return transactions.list(states, producerIds, request.durationFilter()).thenApply(listed -> {
            for (TransactionMetadata metadata : listed.transactions()) {
                if (pattern == null || pattern.matcher(metadata.transactionalId()).matches()) {
                    response.transactionStates().add(new ListTransactionsResponseData.TransactionState()
                        .setTransactionalId(metadata.transactionalId())
                        .setProducerId(metadata.producerId())
                        .setTransactionState(metadata.state().displayName));
                }
            }
            return response.setErrorCode(listed.error().code);
        });
    }
}
