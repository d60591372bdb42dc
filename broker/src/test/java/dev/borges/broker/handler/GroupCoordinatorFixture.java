package dev.borges.broker.handler;

import dev.borges.broker.coordinator.CoordinatorRuntime;
import dev.borges.broker.coordinator.ManualEventLoop;
import dev.borges.broker.group.GroupConfig;
import dev.borges.broker.group.GroupCoordinator;
import dev.borges.broker.group.GroupCoordinatorShard;
import dev.borges.broker.group.MetadataTopicsViews;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

/**
 * A group coordinator over real partitions ({@link AdminTestContext}), on one shard thread the test
 * runs by hand ({@link ManualEventLoop}): for handler tests that need the coordinator's answers
 * step by step. Leadership of {@code __consumer_offsets} partitions reaches it as in the broker.
 */
final class GroupCoordinatorFixture implements AutoCloseable {
    final AdminTestContext ctx;
    final ManualEventLoop loop = new ManualEventLoop();
    final GroupCoordinator groups;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    GroupCoordinatorFixture(Path dir, Map<String, String> settings) throws Exception {
        ctx = new AdminTestContext(dir, settings);
        GroupConfig config = GroupConfig.from(ctx.config);
        CoordinatorRuntime<GroupCoordinatorShard> runtime = new CoordinatorRuntime<>("group-coordinator", loop, List.of(loop),
            (partition, shardTimer) -> new GroupCoordinatorShard(partition, config, shardTimer,
                new MetadataTopicsViews(ctx.publisher::image)));
        groups = new GroupCoordinator(config, runtime, ctx.publisher::image, topic -> ctx.controller.createTopics(List.of(topic), false),
            null, timer);
        ctx.publisher.addLeadershipListener(groups);
    }

    /** Runs every queued event, then the answer. */
    <T> T run(CompletableFuture<T> future) {
        loop.runAll();
        return future.join();
    }

    @Override
    public void close() {
        groups.close();
        timer.shutdownNow();
        ctx.close();
    }
}
