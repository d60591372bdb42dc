package dev.borges.metadata.controller;

import dev.borges.metadata.image.MetadataImage;
import dev.borges.metadata.record.ConfigResource;
import dev.borges.protocol.Errors;
import dev.borges.protocol.types.Uuid;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiFunction;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller: accepts metadata writes, validates them against the latest image, commits the
 * resulting records through the Ratis metadata log, and answers once they are applied. Reads are
 * {@link #image()}; reactions to changes are {@link MetadataListener}s. Single-node mode runs a
 * one-peer Ratis group; the code path is the same for a cluster.
 *
 * <h2>How a write runs</h2>
 * Every write is a task on the one controller thread, in submission order:
 * <ol>
 *   <li>read the current image;</li>
 *   <li>validate and turn the request into records plus a response ({@link TopicControl},
 *       {@link ConfigControl}, {@link ClusterControl}) — per-item errors go into the response;</li>
 *   <li>unless {@code validateOnly} or there is nothing to write, append the records as one batch and
 *       wait until the state machine has applied it (so the next task sees it);</li>
 *   <li>complete the caller's future with the response.</li>
 * </ol>
 * State changes only when the state machine replays committed records, on start-up exactly as in
 * normal operation. A future fails only with {@link ControllerException} (e.g. NOT_CONTROLLER while
 * not running, REQUEST_TIMED_OUT after {@code commitTimeout}). If a commit times out and lands later,
 * a conflicting later write is rejected whole on replay (batches are atomic), never half-applied.
 *
 * <h2>Lifecycle</h2>
 * <pre>
 *   NEW ──start()──▶ STARTING ──leader ready──▶ RUNNING ──close()──▶ CLOSED
 *                       │                                               ▲
 *                       └────────── failure or start timeout ───────────┘
 * </pre>
 * {@link #start()} blocks until this node leads the group and has replayed the snapshot and log.
 *
 * <h2>Threading</h2>
 * All public methods are thread-safe. Writes run on the thread {@code borges-controller-<nodeId>};
 * listeners run on Ratis' state machine updater thread and must not block on controller futures.
 */
public final class QuorumController implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(QuorumController.class);

    /** The controller's lifecycle states; see the class diagram. */
    public enum State { NEW, STARTING, RUNNING, CLOSED }

    private final ControllerConfig config;
    private final MetadataStateMachine stateMachine = new MetadataStateMachine();
    private final TopicControl topics;
    private final ConfigControl configs;
    private final ClusterControl cluster;
    private final ExecutorService executor;
    private final Set<CompletableFuture<?>> pending = ConcurrentHashMap.newKeySet();
    private volatile State state = State.NEW;
    private RaftMetadataLog log;

    public QuorumController(ControllerConfig config) {
        this.config = config;
        this.configs = new ConfigControl(config.configValidator());
        this.topics = new TopicControl(config, configs, new ReplicaPlacer(new Random(config.placementSeed())));
        this.cluster = new ClusterControl(config.producerIdBlockSize());
        this.executor = Executors.newSingleThreadExecutor(runnable -> {
            Thread thread = new Thread(runnable, "borges-controller-" + config.nodeId());
            thread.setDaemon(true);
            return thread;
        });
    }

    /** NEW → STARTING → RUNNING: starts Ratis, replays snapshot and log, waits to lead. */
    public synchronized void start() throws IOException {
        if (state != State.NEW) {
            throw new IllegalStateException("Cannot start a controller that is " + state);
        }
        state = State.STARTING;
        try {
            log = RaftMetadataLog.open(config, stateMachine);
            stateMachine.leaderReady().get(config.startTimeout().toMillis(), TimeUnit.MILLISECONDS);
            state = State.RUNNING;
            LOG.info("Controller {} running; metadata log at {}, Ratis on {}", config.nodeId(), config.metadataDir(),
                log.address());
        } catch (IOException | RuntimeException | ExecutionException | TimeoutException | InterruptedException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            close();
            throw e instanceof IOException io ? io : new IOException("Controller " + config.nodeId() + " failed to start", e);
        }
    }

    public State state() {
        return state;
    }

    /** The latest applied metadata image; never null (empty before start). */
    public MetadataImage image() {
        return stateMachine.image();
    }

    /** Tells {@code listener} about the current image (as a delta from empty) and every later change. */
    public void register(MetadataListener listener) {
        stateMachine.register(listener);
    }

    public void unregister(MetadataListener listener) {
        stateMachine.unregister(listener);
    }

    /** Where this node's Ratis (Netty) listener is; after {@link #start()}. */
    public InetSocketAddress raftAddress() {
        return log.address();
    }

    public CompletableFuture<List<CreateTopicResult>> createTopics(List<NewTopic> newTopics, boolean validateOnly) {
        List<NewTopic> copy = List.copyOf(newTopics);
        return write(image -> topics.createTopics(image, copy), validateOnly);
    }

    public CompletableFuture<List<TopicResult>> deleteTopics(List<String> names) {
        List<String> copy = new ArrayList<>(names);
        return write(image -> topics.deleteTopics(image, copy), false);
    }

    public CompletableFuture<List<TopicResult>> deleteTopicsById(List<Uuid> ids) {
        List<Uuid> copy = new ArrayList<>(ids);
        return write(image -> topics.deleteTopicsById(image, copy), false);
    }

    public CompletableFuture<List<TopicResult>> createPartitions(List<NewPartitions> requests, boolean validateOnly) {
        List<NewPartitions> copy = List.copyOf(requests);
        return write(image -> topics.createPartitions(image, copy), validateOnly);
    }

    /** IncrementalAlterConfigs: per resource, ops applied in order. Results follow the map's order. */
    public CompletableFuture<List<ConfigResult>> incrementalAlterConfigs(Map<ConfigResource, List<ConfigOp>> changes,
                                                                         boolean validateOnly) {
        Map<ConfigResource, List<ConfigOp>> copy = new LinkedHashMap<>(changes);
        return write(image -> configs.incrementalAlterConfigs(image, copy), validateOnly);
    }

    /** The legacy AlterConfigs: each resource's overrides are replaced by the given map. */
    public CompletableFuture<List<ConfigResult>> alterConfigs(Map<ConfigResource, Map<String, String>> newConfigs,
                                                              boolean validateOnly) {
        Map<ConfigResource, Map<String, String>> copy = new LinkedHashMap<>(newConfigs);
        return write(image -> configs.alterConfigs(image, copy), validateOnly);
    }

    /** Registers (or re-registers) a broker; completes with its broker epoch (the committed log index). */
    public CompletableFuture<Long> registerBroker(BrokerRegistrationRequest request) {
        return write(image -> cluster.registerBroker(request), false, (none, index) -> index);
    }

    /** Hands the next block of producer ids to a registered broker. */
    public CompletableFuture<ProducerIdsBlock> allocateProducerIds(int brokerId) {
        return write(image -> cluster.allocateProducerIds(image, brokerId), false);
    }

    /** Snapshots the image now (Ratis also does so every {@code snapshotEveryEntries} and on close). */
    public CompletableFuture<Long> takeSnapshot() {
        if (state != State.RUNNING) {
            return CompletableFuture.failedFuture(notRunning());
        }
        return log.takeSnapshot();
    }

    private <T> CompletableFuture<T> write(Function<MetadataImage, ControllerResult<T>> op, boolean validateOnly) {
        return write(op, validateOnly, (response, index) -> response);
    }

    private <T, R> CompletableFuture<R> write(Function<MetadataImage, ControllerResult<T>> op, boolean validateOnly,
                                              BiFunction<T, Long, R> finish) {
        CompletableFuture<R> future = new CompletableFuture<>();
        if (state != State.RUNNING) {
            future.completeExceptionally(notRunning());
            return future;
        }
        pending.add(future);
        future.whenComplete((r, e) -> pending.remove(future));
        try {
            executor.execute(() -> run(op, validateOnly, finish, future));
        } catch (RejectedExecutionException e) {
            future.completeExceptionally(notRunning());
        }
        return future;
    }

    private <T, R> void run(Function<MetadataImage, ControllerResult<T>> op, boolean validateOnly,
                            BiFunction<T, Long, R> finish, CompletableFuture<R> future) {
        try {
            ControllerResult<T> result = op.apply(stateMachine.image());
            long index = -1;
            if (!validateOnly && !result.records().isEmpty()) {
                index = log.append(result.records()).get(config.commitTimeout().toMillis(), TimeUnit.MILLISECONDS);
            }
            future.complete(finish.apply(result.response(), index));
        } catch (ControllerException e) {
            future.completeExceptionally(e);
        } catch (ExecutionException e) {
            future.completeExceptionally(e.getCause() instanceof ControllerException ce ? ce
                : new ControllerException(Errors.UNKNOWN_SERVER_ERROR, "Commit failed: " + e.getCause(), e.getCause()));
        } catch (TimeoutException e) {
            future.completeExceptionally(new ControllerException(Errors.REQUEST_TIMED_OUT,
                "The metadata log did not commit within " + config.commitTimeout().toMillis() + " ms"));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            future.completeExceptionally(notRunning());
        } catch (RuntimeException e) {
            LOG.error("Controller operation failed", e);
            future.completeExceptionally(new ControllerException(Errors.UNKNOWN_SERVER_ERROR, String.valueOf(e), e));
        }
    }

    private static ControllerException notRunning() {
        return new ControllerException(Errors.NOT_CONTROLLER, "The controller is not running");
    }

    /** → CLOSED: lets the running write finish, fails queued ones, closes Ratis (which snapshots). */
    @Override
    public synchronized void close() {
        if (state == State.CLOSED) {
            return;
        }
        state = State.CLOSED;
        executor.shutdown();
        try {
            if (!executor.awaitTermination(config.commitTimeout().toMillis(), TimeUnit.MILLISECONDS)) {
                executor.shutdownNow();
            }
        } catch (InterruptedException e) {
            executor.shutdownNow();
            Thread.currentThread().interrupt();
        }
        for (CompletableFuture<?> future : List.copyOf(pending)) {
            future.completeExceptionally(notRunning());
        }
        if (log != null) {
            try {
                log.close();
            } catch (IOException e) {
                LOG.warn("Closing the metadata log failed", e);
            }
        }
    }
}
