package dev.borges.metadata.controller;

/**
 * Producer ids {@code firstProducerId .. firstProducerId + size - 1}, handed to one broker, which
 * gives them to idempotent and transactional producers (InitProducerId) until it needs another block.
 */
public record ProducerIdsBlock(int brokerId, long firstProducerId, int size) {
    /** The last id of the block. */
    public long lastProducerId() {
        return firstProducerId + size - 1;
    }
}
