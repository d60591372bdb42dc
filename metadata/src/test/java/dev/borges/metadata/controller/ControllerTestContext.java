package dev.borges.metadata.controller;

import dev.borges.metadata.record.RegisterBrokerRecord.Endpoint;
import dev.borges.protocol.types.Uuid;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

/** Starts single-node controllers on a directory, registers brokers, waits for futures. */
final class ControllerTestContext {
    static final long SEED = 42;

    private ControllerTestContext() {
    }

    static QuorumController start(Path dir) throws IOException {
        return start(dir, b -> b);
    }

    static QuorumController start(Path dir, UnaryOperator<ControllerConfig.Builder> settings) throws IOException {
        QuorumController controller = new QuorumController(settings.apply(
            ControllerConfig.builder(1, dir.resolve("__cluster_metadata")).placementSeed(SEED)).build());
        controller.start();
        return controller;
    }

    static long registerBroker(QuorumController controller, int brokerId) {
        return await(controller.registerBroker(new BrokerRegistrationRequest(brokerId, Uuid.randomUuid(),
            List.of(new Endpoint("PLAINTEXT", "localhost", 9092 + brokerId)), Optional.empty())));
    }

    static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("Controller future failed: " + e, e);
        }
    }
}
