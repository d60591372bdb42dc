package dev.borges.metadata.controller;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * Settings of one controller node. Build with {@link #builder(int, Path)}; every other setting has
 * a default.
 *
 * <ul>
 *   <li>{@code nodeId}: this node's id ({@code node.id}); the Ratis peer id is {@code controller-<id>}.</li>
 *   <li>{@code metadataDir}: where the Ratis log and snapshots live, e.g.
 *       {@code <log.dirs>/__cluster_metadata}; created if missing.</li>
 *   <li>{@code host}, {@code port}: the Ratis (Netty) listener; port 0 picks a free port at start.</li>
 *   <li>{@code defaultPartitions}, {@code defaultReplicationFactor}: Kafka's {@code num.partitions} and
 *       {@code default.replication.factor}, used when a request says -1.</li>
 *   <li>{@code producerIdBlockSize}: ids per allocateProducerIds block (Kafka: 1000).</li>
 *   <li>{@code snapshotEveryEntries}: Ratis takes a snapshot of the image after this many log entries.</li>
 *   <li>{@code commitTimeout}: how long an operation waits for its commit before REQUEST_TIMED_OUT.</li>
 *   <li>{@code startTimeout}: how long {@code start()} waits for this node to lead and catch up.</li>
 *   <li>{@code placementSeed}: seed of the replica placer's random start (tests fix it).</li>
 *   <li>{@code configValidator}: checks config values (the broker injects its log config's rules).</li>
 * </ul>
 */
public record ControllerConfig(
    int nodeId,
    Path metadataDir,
    String host,
    int port,
    int defaultPartitions,
    short defaultReplicationFactor,
    int producerIdBlockSize,
    long snapshotEveryEntries,
    Duration commitTimeout,
    Duration startTimeout,
    long placementSeed,
    ConfigValidator configValidator) {

    public ControllerConfig {
        if (nodeId < 0) {
            throw new IllegalArgumentException("nodeId " + nodeId + " is negative");
        }
        Objects.requireNonNull(metadataDir, "metadataDir");
        Objects.requireNonNull(host, "host");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port " + port + " is outside 0..65535");
        }
        if (defaultPartitions < 1 || defaultReplicationFactor < 1 || producerIdBlockSize < 1 || snapshotEveryEntries < 1) {
            throw new IllegalArgumentException("partitions, replication factor, block size and snapshot interval must be positive");
        }
        Objects.requireNonNull(commitTimeout, "commitTimeout");
        Objects.requireNonNull(startTimeout, "startTimeout");
        Objects.requireNonNull(configValidator, "configValidator");
    }

    public static Builder builder(int nodeId, Path metadataDir) {
        return new Builder(nodeId, metadataDir);
    }

    /** Builds a {@link ControllerConfig}; not thread-safe. */
    public static final class Builder {
        private final int nodeId;
        private final Path metadataDir;
        private String host = "127.0.0.1";
        private int port;
        private int defaultPartitions = 1;
        private short defaultReplicationFactor = 1;
        private int producerIdBlockSize = 1000;
        private long snapshotEveryEntries = 10_000;
        private Duration commitTimeout = Duration.ofSeconds(30);
        private Duration startTimeout = Duration.ofSeconds(30);
        private long placementSeed = System.nanoTime();
        private ConfigValidator configValidator = ConfigValidator.ACCEPT_ALL;

        private Builder(int nodeId, Path metadataDir) {
            this.nodeId = nodeId;
            this.metadataDir = metadataDir;
        }

        public Builder host(String value) {
            this.host = value;
            return this;
        }

        public Builder port(int value) {
            this.port = value;
            return this;
        }

        public Builder defaultPartitions(int value) {
            this.defaultPartitions = value;
            return this;
        }

        public Builder defaultReplicationFactor(short value) {
            this.defaultReplicationFactor = value;
            return this;
        }

        public Builder producerIdBlockSize(int value) {
            this.producerIdBlockSize = value;
            return this;
        }

        public Builder snapshotEveryEntries(long value) {
            this.snapshotEveryEntries = value;
            return this;
        }

        public Builder commitTimeout(Duration value) {
            this.commitTimeout = value;
            return this;
        }

        public Builder startTimeout(Duration value) {
            this.startTimeout = value;
            return this;
        }

        public Builder placementSeed(long value) {
            this.placementSeed = value;
            return this;
        }

        public Builder configValidator(ConfigValidator value) {
            this.configValidator = value;
            return this;
        }

        public ControllerConfig build() {
            return new ControllerConfig(nodeId, metadataDir, host, port, defaultPartitions, defaultReplicationFactor,
                producerIdBlockSize, snapshotEveryEntries, commitTimeout, startTimeout, placementSeed, configValidator);
        }
    }
}
