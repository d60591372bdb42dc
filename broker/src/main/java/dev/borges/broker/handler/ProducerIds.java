package dev.borges.broker.handler;

import dev.borges.metadata.controller.ProducerIdsBlock;
import dev.borges.metadata.controller.QuorumController;
import java.util.concurrent.CompletableFuture;

/**
 * Hands out producer ids from blocks the controller allocates in the metadata log, so ids are
 * never reused across restarts; a new block is fetched when the current one runs out.
 *
 * <p>Threading: thread-safe; callers get a future completed when an id is available.
 */
public final class ProducerIds {
    private final int brokerId;
    private final QuorumController controller;
    private ProducerIdsBlock block;
    private long next;
    private CompletableFuture<ProducerIdsBlock> pending;

    public ProducerIds(int brokerId, QuorumController controller) {
        this.brokerId = brokerId;
        this.controller = controller;
    }

    public synchronized CompletableFuture<Long> next() {
        if (block != null && next <= block.lastProducerId()) {
            return CompletableFuture.completedFuture(next++);
        }
        if (pending == null) {
            CompletableFuture<ProducerIdsBlock> allocation = controller.allocateProducerIds(brokerId);
            pending = allocation;
            // A failed allocation must not stay cached: the next caller asks the controller again.
            allocation.whenComplete((block, failure) -> {
                if (failure != null) {
                    synchronized (this) {
                        if (pending == allocation) {
                            pending = null;
                        }
                    }
                }
            });
        }
        return pending.thenCompose(allocated -> {
            synchronized (this) {
                if (block != allocated && (block == null || allocated.firstProducerId() > block.lastProducerId())) {
                    block = allocated;
                    next = allocated.firstProducerId();
                }
                pending = null;
            }
            return next();
        });
    }
}
