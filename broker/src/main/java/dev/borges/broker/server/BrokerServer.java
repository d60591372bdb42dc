package dev.borges.broker.server;

import dev.borges.broker.config.BrokerConfig;
import dev.borges.broker.config.Listener;
import dev.borges.broker.handler.AlterConfigsHandler;
import dev.borges.broker.handler.ApiVersionsHandler;
import dev.borges.broker.handler.ConsumerGroupDescribeHandler;
import dev.borges.broker.handler.ConsumerGroupHeartbeatHandler;
import dev.borges.broker.handler.CreatePartitionsHandler;
import dev.borges.broker.handler.CreateTopicsHandler;
import dev.borges.broker.group.GroupConfig;
import dev.borges.broker.group.GroupCoordinator;
import dev.borges.broker.handler.DeleteGroupsHandler;
import dev.borges.broker.handler.DeleteRecordsHandler;
import dev.borges.broker.handler.DeleteTopicsHandler;
import dev.borges.broker.handler.DescribeClusterHandler;
import dev.borges.broker.handler.DescribeConfigsHandler;
import dev.borges.broker.handler.DescribeGroupsHandler;
import dev.borges.broker.handler.DescribeLogDirsHandler;
import dev.borges.broker.handler.DescribeProducersHandler;
import dev.borges.broker.handler.FetchHandler;
import dev.borges.broker.handler.FetchSessions;
import dev.borges.broker.handler.FindCoordinatorHandler;
import dev.borges.broker.handler.HeartbeatHandler;
import dev.borges.broker.handler.IncrementalAlterConfigsHandler;
import dev.borges.broker.handler.InitProducerIdHandler;
import dev.borges.broker.handler.JoinGroupHandler;
import dev.borges.broker.handler.LeaveGroupHandler;
import dev.borges.broker.handler.ListGroupsHandler;
import dev.borges.broker.handler.ListOffsetsHandler;
import dev.borges.broker.handler.MetadataHandler;
import dev.borges.broker.handler.OffsetCommitHandler;
import dev.borges.broker.handler.OffsetDeleteHandler;
import dev.borges.broker.handler.OffsetFetchHandler;
import dev.borges.broker.handler.TxnOffsetCommitHandler;
import dev.borges.broker.handler.OffsetForLeaderEpochHandler;
import dev.borges.broker.handler.ProduceHandler;
import dev.borges.broker.handler.ProducerIds;
import dev.borges.broker.handler.SyncGroupHandler;
import dev.borges.broker.network.NetworkConfig;
import dev.borges.broker.network.NetworkServer;
import dev.borges.broker.network.RequestHandlers;
import dev.borges.broker.partition.PartitionManager;
import dev.borges.broker.purgatory.Purgatory;
import dev.borges.broker.handler.AddOffsetsToTxnHandler;
import dev.borges.broker.handler.AddPartitionsToTxnHandler;
import dev.borges.broker.handler.DescribeTransactionsHandler;
import dev.borges.broker.handler.EndTxnHandler;
import dev.borges.broker.handler.ListTransactionsHandler;
import dev.borges.broker.handler.WriteTxnMarkersHandler;
import dev.borges.broker.txn.GroupTxnCompletion;
import dev.borges.broker.txn.TransactionCoordinator;
import dev.borges.broker.txn.TxnConfig;
import dev.borges.broker.txn.TxnMarkerRouter;
import dev.borges.broker.txn.TxnMarkerWriter;
import dev.borges.broker.txn.TxnPartitionVerifier;
import dev.borges.metadata.controller.ControllerConfig;
import dev.borges.metadata.controller.QuorumController;
import dev.borges.metadata.record.ConfigResource;
import dev.borges.metadata.record.RegisterBrokerRecord;
import dev.borges.metadata.controller.BrokerRegistrationRequest;
import dev.borges.protocol.ApiKey;
import dev.borges.protocol.types.Uuid;
import dev.borges.storage.StorageException;
import dev.borges.storage.Time;
import dev.borges.storage.TopicPartition;
import dev.borges.storage.config.InvalidConfigException;
import dev.borges.storage.manager.LogManager;
import dev.borges.storage.manager.LogManagerConfig;
import dev.borges.storage.producer.ProducerStateConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A running Borges broker: wiring and lifecycle. Start-up, in order:
 * <ol>
 *   <li>{@code meta.properties} (cluster id) in the log directory;</li>
 *   <li>the controller on its metadata log ({@code __cluster_metadata} under the log directory);</li>
 *   <li>the log manager, recovering the partition logs if the last shutdown was not clean;</li>
 *   <li>the group and transaction coordinators, then the partitions this broker leads, from the
 *       metadata image, then every committed change (leading a {@code __consumer_offsets} partition
 *       loads its groups, a {@code __transaction_state} partition its transactions);</li>
 *   <li>the network server, and the broker's registration with its advertised listeners.</li>
 * </ol>
 * {@link #close()} undoes it in reverse: stop taking requests, answer waiting ones, flush and close
 * the logs (writing the clean-shutdown marker), close the controller.
 */
public final class BrokerServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BrokerServer.class);
    /** Threads running the transaction coordinator's shards (one per __transaction_state partition, each on one thread). */
    private static final int TXN_COORDINATOR_THREADS = 2;

    private final BrokerConfig config;
    private final MetaProperties meta;
    private final QuorumController controller;
    private final MetadataPublisher publisher;
    private final LogManager logManager;
    private final ScheduledExecutorService timer;
    private final Purgatory<TopicPartition> fetchPurgatory;
    private final GroupCoordinator groupCoordinator;
    private final TransactionCoordinator transactionCoordinator;
    private final NetworkServer network;
    private final PartitionManager partitions;
    private final TxnMarkerWriter txnMarkers;

    private BrokerServer(BrokerConfig config, MetaProperties meta, QuorumController controller, MetadataPublisher publisher,
                         LogManager logManager, ScheduledExecutorService timer, Purgatory<TopicPartition> fetchPurgatory,
                         GroupCoordinator groupCoordinator, TransactionCoordinator transactionCoordinator, NetworkServer network,
                         PartitionManager partitions, TxnMarkerWriter txnMarkers) {
        this.config = config;
        this.meta = meta;
        this.controller = controller;
        this.publisher = publisher;
        this.logManager = logManager;
        this.timer = timer;
        this.fetchPurgatory = fetchPurgatory;
        this.groupCoordinator = groupCoordinator;
        this.transactionCoordinator = transactionCoordinator;
        this.network = network;
        this.partitions = partitions;
        this.txnMarkers = txnMarkers;
    }

    /**
     * Starts a broker and returns once it serves requests.
     *
     * @throws InvalidConfigException or {@link StorageException} with a message for people if it cannot start
     */
    public static BrokerServer start(BrokerConfig config) throws Exception {
        StartupPhases phases = new StartupPhases(System.nanoTime());
        Path logDir = config.logDir().toAbsolutePath().normalize();
        MetaProperties meta = MetaProperties.loadOrCreate(logDir, config.nodeId());
        List<Listener> listeners = config.listeners();
        Listener listener = listeners.get(0);

        QuorumController controller = new QuorumController(ControllerConfig.builder(config.nodeId(), logDir.resolve("__cluster_metadata"))
            .defaultPartitions(config.numPartitions())
            .defaultReplicationFactor((short) config.defaultReplicationFactor())
            .configValidator((resource, values) -> validateConfigs(config, resource, values))
            .build());
        phases.mark("meta.properties");
        controller.start();
        phases.mark("controller");

        LogManager logManager = null;
        NetworkServer network = null;
        GroupCoordinator groups = null;
        TransactionCoordinator transactions = null;
        ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(runnable -> {
            Thread thread = new Thread(runnable, "broker-timer");
            thread.setDaemon(true);
            return thread;
        });
        try {
            logManager = LogManager.open(logDir, logManagerConfig(config),
                tp -> MetadataPublisher.logConfig(config, controller.image(), tp.topic()), Time.SYSTEM);
            phases.mark("logs");
            PartitionManager partitions = new PartitionManager(config.nodeId(), logManager);
            MetadataPublisher publisher = new MetadataPublisher(config.nodeId(), config, partitions);
            Purgatory<TopicPartition> fetchPurgatory = new Purgatory<>("fetch", timer);
            // Before the first image: the coordinator loads the __consumer_offsets partitions this broker leads.
            GroupConfig groupConfig = GroupConfig.from(config);
            groups = GroupCoordinator.start(groupConfig, Time.SYSTEM, publisher::image,
                topic -> controller.createTopics(List.of(topic), false), fetchPurgatory, timer);
            phases.mark("group coordinator");
            publisher.addLeadershipListener(groups);
            TxnMarkerWriter txnMarkers = new TxnMarkerWriter(partitions, fetchPurgatory);
            // A __consumer_offsets partition's marker goes through the group coordinator, which
            // settles the transaction's pending offsets as it writes the marker.
            GroupTxnCompletion groupTxnCompletion = groups::completeTransaction;
            TxnMarkerRouter markerRouter = TxnMarkerRouter.of(txnMarkers, groupTxnCompletion, GroupCoordinator.OFFSETS_TOPIC);
            ProducerIds producerIds = new ProducerIds(config.nodeId(), controller);
            transactions = new TransactionCoordinator(TxnConfig.from(config), Time.SYSTEM, TXN_COORDINATOR_THREADS, publisher::image,
                topic -> controller.createTopics(List.of(topic), false), producerIds::next,
                groups::offsetsPartitionFor, markerRouter,
                fetchPurgatory, timer);
            publisher.addLeadershipListener(transactions);
            publisher.publishInitial(controller.image());
            controller.register(publisher);
            logManager.startBackgroundTasks();
            phases.mark("partitions");

            RequestHandlers.Builder handlers = RequestHandlers.builder();
            ApiVersionsHandler[] apiVersions = new ApiVersionsHandler[1];
            RequestHandlers[] built = new RequestHandlers[1];
            apiVersions[0] = new ApiVersionsHandler(() -> built[0].apiVersions());
            handlers.register(ApiKey.API_VERSIONS, adapt(apiVersions[0]));
            handlers.register(ApiKey.METADATA, adapt(new MetadataHandler(config, meta.clusterId(), publisher, partitions, controller,
                listener.name())));
            TransactionCoordinator txnCoordinator = transactions;
            TxnPartitionVerifier verifier = TxnConfig.from(config).partitionVerification()
                ? (transactionalId, producerId, producerEpoch, tp) -> txnCoordinator.verify(transactionalId, producerId, producerEpoch,
                    List.of(tp)).thenApply(errors -> errors.get(tp))
                : TxnPartitionVerifier.DISABLED;
            handlers.register(ApiKey.PRODUCE, adapt(new ProduceHandler(partitions, publisher, fetchPurgatory, verifier)));
            handlers.register(ApiKey.FETCH, adapt(new FetchHandler(partitions, publisher, fetchPurgatory, new FetchSessions(1000))));
            handlers.register(ApiKey.LIST_OFFSETS, adapt(new ListOffsetsHandler(partitions)));
            handlers.register(ApiKey.CREATE_TOPICS, adapt(new CreateTopicsHandler(config, controller)));
            handlers.register(ApiKey.DELETE_TOPICS, adapt(new DeleteTopicsHandler(config, controller)));
            handlers.register(ApiKey.INIT_PRODUCER_ID, adapt(new InitProducerIdHandler(producerIds, transactions)));
            handlers.register(ApiKey.ADD_PARTITIONS_TO_TXN, adapt(new AddPartitionsToTxnHandler(transactions, publisher::image)));
            handlers.register(ApiKey.ADD_OFFSETS_TO_TXN, adapt(new AddOffsetsToTxnHandler(transactions)));
            handlers.register(ApiKey.END_TXN, adapt(new EndTxnHandler(transactions)));
            handlers.register(ApiKey.WRITE_TXN_MARKERS, adapt(new WriteTxnMarkersHandler(markerRouter)));
            handlers.register(ApiKey.DESCRIBE_TRANSACTIONS, adapt(new DescribeTransactionsHandler(transactions)));
            handlers.register(ApiKey.LIST_TRANSACTIONS, adapt(new ListTransactionsHandler(transactions)));
            handlers.register(ApiKey.CREATE_PARTITIONS, adapt(new CreatePartitionsHandler(controller)));
            handlers.register(ApiKey.DELETE_RECORDS, adapt(new DeleteRecordsHandler(partitions)));
            handlers.register(ApiKey.DESCRIBE_CLUSTER, adapt(new DescribeClusterHandler(config.nodeId(), meta.clusterId(),
                publisher::image, listener.name())));
            handlers.register(ApiKey.DESCRIBE_LOG_DIRS, adapt(new DescribeLogDirsHandler(logManager)));
            handlers.register(ApiKey.DESCRIBE_PRODUCERS, adapt(new DescribeProducersHandler(partitions)));
            handlers.register(ApiKey.OFFSET_FOR_LEADER_EPOCH, adapt(new OffsetForLeaderEpochHandler(partitions)));
            handlers.register(ApiKey.DESCRIBE_CONFIGS, adapt(new DescribeConfigsHandler(config, publisher::image)));
            handlers.register(ApiKey.ALTER_CONFIGS, adapt(new AlterConfigsHandler(controller)));
            handlers.register(ApiKey.INCREMENTAL_ALTER_CONFIGS, adapt(new IncrementalAlterConfigsHandler(config, publisher::image,
                controller)));
            handlers.register(ApiKey.FIND_COORDINATOR, adapt(new FindCoordinatorHandler(groups, transactions, publisher::image,
                listener.name())));
            handlers.register(ApiKey.JOIN_GROUP, adapt(new JoinGroupHandler(groups)));
            handlers.register(ApiKey.SYNC_GROUP, adapt(new SyncGroupHandler(groups)));
            handlers.register(ApiKey.HEARTBEAT, adapt(new HeartbeatHandler(groups)));
            handlers.register(ApiKey.LEAVE_GROUP, adapt(new LeaveGroupHandler(groups)));
            handlers.register(ApiKey.OFFSET_COMMIT, adapt(new OffsetCommitHandler(groups, publisher::image)));
            handlers.register(ApiKey.OFFSET_FETCH, adapt(new OffsetFetchHandler(groups, publisher::image)));
            handlers.register(ApiKey.TXN_OFFSET_COMMIT, ApiKey.TXN_OFFSET_COMMIT.lowestVersion, TxnOffsetCommitHandler.MAX_VERSION,
                adapt(new TxnOffsetCommitHandler(groups, publisher::image)));
            handlers.register(ApiKey.OFFSET_DELETE, adapt(new OffsetDeleteHandler(groups, publisher::image)));
            handlers.register(ApiKey.DESCRIBE_GROUPS, adapt(new DescribeGroupsHandler(groups)));
            handlers.register(ApiKey.LIST_GROUPS, adapt(new ListGroupsHandler(groups)));
            handlers.register(ApiKey.DELETE_GROUPS, adapt(new DeleteGroupsHandler(groups)));
            if (groupConfig.consumerProtocolEnabled()) {
                // Advertised in ApiVersions: what makes clients with group.protocol=consumer use it.
                handlers.register(ApiKey.CONSUMER_GROUP_HEARTBEAT, adapt(new ConsumerGroupHeartbeatHandler(groups)));
                handlers.register(ApiKey.CONSUMER_GROUP_DESCRIBE, adapt(new ConsumerGroupDescribeHandler(groups)));
            }
            built[0] = handlers.build();
            phases.mark("handlers");

            network = new NetworkServer(NetworkConfig.listener(listener.host(), listener.port())
                .withListenerName(listener.name())
                .withEventLoopThreads(Math.min(config.numNetworkThreads(), Runtime.getRuntime().availableProcessors()))
                .withMaxRequestBytes(config.socketRequestMaxBytes()), built[0]);
            network.start();
            int boundPort = network.port();
            phases.mark("network");

            List<RegisterBrokerRecord.Endpoint> endpoints = config.advertisedListeners().stream()
                .map(advertised -> new RegisterBrokerRecord.Endpoint(advertised.name(),
                    advertised.host().isEmpty() ? "localhost" : advertised.host(),
                    advertised.port() == 0 ? boundPort : advertised.port()))
                .toList();
            controller.registerBroker(new BrokerRegistrationRequest(config.nodeId(), Uuid.randomUuid(), endpoints, Optional.empty()))
                .get(30, TimeUnit.SECONDS);
            phases.mark("registration");

            BrokerServer server = new BrokerServer(config, meta, controller, publisher, logManager, timer, fetchPurgatory, groups,
                transactions, network, partitions, txnMarkers);
            LOG.info("Borges broker {} ready on {}://{}:{} in {} ms; data in {}; cluster {}", config.nodeId(), listener.name(),
                listener.host().isEmpty() ? "0.0.0.0" : listener.host(), network.port(),
                phases.totalMs(), logDir, meta.clusterId());
            LOG.debug("Start-up phases: {}", phases);
            for (String unknown : config.unknownKeys().keySet()) {
                LOG.warn("Ignoring setting {}: Borges does not use it", unknown);
            }
            return server;
        } catch (Exception | Error e) {
            if (network != null) {
                network.close(); // release the port and event loops, so a retry can bind again
            }
            if (groups != null) {
                groups.close();
            }
            if (transactions != null) {
                transactions.close();
            }
            timer.shutdownNow();
            if (logManager != null) {
                logManager.close();
            }
            controller.close();
            throw e;
        }
    }

    public int port() {
        return network.port();
    }

    public String clusterId() {
        return meta.clusterId();
    }

    public BrokerConfig config() {
        return config;
    }

    /** The partitions this broker leads. */
    public PartitionManager partitions() {
        return partitions;
    }

    /** Writes transaction markers into this broker's partitions, waking the fetches waiting on them (for the transaction coordinator). */
    public TxnMarkerWriter txnMarkers() {
        return txnMarkers;
    }

    @Override
    public void close() {
        LOG.info("Borges broker {} shutting down", config.nodeId());
        // First, so members waiting in JoinGroup or SyncGroup are answered (NOT_COORDINATOR: they
        // look for the coordinator again) and the network's graceful stop need not wait for them.
        // Its threads stop before the logs they write close.
        groupCoordinator.close();
        transactionCoordinator.close();
        network.close();
        // No metadata change may reach the partitions once their logs are closing.
        controller.unregister(publisher);
        fetchPurgatory.close();
        timer.shutdownNow();
        logManager.close();
        controller.close();
        LOG.info("Borges broker {} stopped", config.nodeId());
    }

    private static LogManagerConfig logManagerConfig(BrokerConfig config) {
        return new LogManagerConfig(
            config.longValue(BrokerConfig.LOG_RETENTION_CHECK_INTERVAL_MS),
            config.longValue(BrokerConfig.LOG_FLUSH_SCHEDULER_INTERVAL_MS),
            config.longValue(BrokerConfig.LOG_FLUSH_OFFSET_CHECKPOINT_INTERVAL_MS),
            config.logConfig(java.util.Map.of()).fileDeleteDelayMs(),
            new ProducerStateConfig(config.longValue(BrokerConfig.PRODUCER_ID_EXPIRATION_MS)),
            config.cleanerConfig());
    }

    /** Topic configs are checked the way the logs will read them; broker configs are not alterable yet. */
    private static Optional<String> validateConfigs(BrokerConfig config, ConfigResource resource, java.util.Map<String, String> values) {
        if (resource.type() != ConfigResource.Type.TOPIC) {
            return Optional.of("Changing broker configurations is not supported yet");
        }
        try {
            config.logConfig(values);
            return Optional.empty();
        } catch (InvalidConfigException e) {
            return Optional.of(e.getMessage());
        }
    }

    private static dev.borges.broker.network.RequestHandler adapt(dev.borges.broker.handler.ApiHandler<?, ?> handler) {
        return dev.borges.broker.handler.NetworkAdapter.adapt(handler);
    }
}
