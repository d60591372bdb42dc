package dev.borges.cli.topic;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.LogDirDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.ReplicaInfo;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.Node;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.config.ConfigResource;

/**
 * Everything {@code borges topic describe} shows about topics, gathered with one request of each
 * kind for all of them: the descriptions (leaders, replicas, ISR), the settings that differ from the
 * defaults (DescribeConfigs), start and end offsets (ListOffsets, earliest and latest) and size on
 * disk (DescribeLogDirs of every broker holding a replica).
 *
 * <p>Offsets and sizes are best effort: a partition without a leader, or a broker that does not
 * answer DescribeLogDirs, shows no value rather than failing the whole command.
 *
 * @param topics per topic, in the order asked
 */
record TopicDetails(List<Topic> topics) {

    /** One topic. {@code configs}: the settings set on the topic itself. */
    record Topic(String name, String id, int replicationFactor, boolean internal, Map<String, String> configs,
                 List<Partition> partitions) {
        long records() {
            return partitions.stream().mapToLong(p -> p.records() == null ? 0 : p.records()).sum();
        }

        /** Bytes on disk of the leaders' copies, or null if no broker told. */
        Long sizeBytes() {
            boolean any = partitions.stream().anyMatch(p -> p.sizeBytes() != null);
            return any ? partitions.stream().mapToLong(p -> p.sizeBytes() == null ? 0 : p.sizeBytes()).sum() : null;
        }
    }

    /**
     * One partition. Offsets and size are null when unknown; {@code sizeBytes} is the leader's copy
     * on disk (each replica holds about as much).
     */
    record Partition(int partition, Integer leader, List<Integer> replicas, List<Integer> isr, Long startOffset, Long endOffset,
                     Long sizeBytes) {
        Long records() {
            return startOffset == null || endOffset == null ? null : Math.max(0, endOffset - startOffset);
        }
    }

    static TopicDetails load(Admin admin, Map<String, TopicDescription> descriptions) throws InterruptedException {
        List<TopicPartition> partitions = new ArrayList<>();
        Set<Integer> brokers = new HashSet<>();
        for (TopicDescription description : descriptions.values()) {
            for (TopicPartitionInfo info : description.partitions()) {
                partitions.add(new TopicPartition(description.name(), info.partition()));
                info.replicas().forEach(node -> brokers.add(node.id()));
            }
        }
        Map<TopicPartition, Long> starts = offsets(admin, partitions, OffsetSpec.earliest());
        Map<TopicPartition, Long> ends = offsets(admin, partitions, OffsetSpec.latest());
        Map<TopicPartition, Map<Integer, Long>> sizes = sizes(admin, brokers);
        Map<String, Map<String, String>> configs = topicConfigs(admin, descriptions.keySet());

        List<Topic> topics = new ArrayList<>();
        for (TopicDescription description : descriptions.values()) {
            List<Partition> rows = new ArrayList<>();
            for (TopicPartitionInfo info : description.partitions()) {
                TopicPartition tp = new TopicPartition(description.name(), info.partition());
                Integer leader = info.leader() == null || info.leader().isEmpty() ? null : info.leader().id();
                Map<Integer, Long> replicaSizes = sizes.get(tp);
                Long leaderSize = replicaSizes == null || leader == null ? null : replicaSizes.get(leader);
                rows.add(new Partition(info.partition(), leader, ids(info.replicas()), ids(info.isr()), starts.get(tp), ends.get(tp),
                    leaderSize));
            }
            int replication = description.partitions().isEmpty() ? 0 : description.partitions().get(0).replicas().size();
            topics.add(new Topic(description.name(), description.topicId() == null ? null : description.topicId().toString(),
                replication, description.isInternal(), configs.getOrDefault(description.name(), Map.of()), rows));
        }
        return new TopicDetails(topics);
    }

    private static List<Integer> ids(List<Node> nodes) {
        return nodes.stream().map(Node::id).toList();
    }

    private static Map<TopicPartition, Long> offsets(Admin admin, List<TopicPartition> partitions, OffsetSpec spec)
        throws InterruptedException {
        Map<TopicPartition, OffsetSpec> request = new LinkedHashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        Map<TopicPartition, Long> offsets = new HashMap<>();
        if (request.isEmpty()) {
            return offsets;
        }
        ListOffsetsResult result = admin.listOffsets(request);
        for (TopicPartition tp : partitions) {
            try {
                offsets.put(tp, result.partitionResult(tp).get().offset());
            } catch (ExecutionException e) {
                // no leader right now, or the broker refused: shown as unknown
            }
        }
        return offsets;
    }

    /** Per partition, per broker, bytes on disk. */
    private static Map<TopicPartition, Map<Integer, Long>> sizes(Admin admin, Collection<Integer> brokers) throws InterruptedException {
        Map<TopicPartition, Map<Integer, Long>> sizes = new HashMap<>();
        if (brokers.isEmpty()) {
            return sizes;
        }
        Map<Integer, KafkaFuture<Map<String, LogDirDescription>>> perBroker = admin.describeLogDirs(brokers).descriptions();
        for (Map.Entry<Integer, KafkaFuture<Map<String, LogDirDescription>>> broker : perBroker.entrySet()) {
            try {
                for (LogDirDescription dir : broker.getValue().get().values()) {
                    for (Map.Entry<TopicPartition, ReplicaInfo> replica : dir.replicaInfos().entrySet()) {
                        if (!replica.getValue().isFuture()) {
                            sizes.computeIfAbsent(replica.getKey(), tp -> new HashMap<>()).merge(broker.getKey(), replica.getValue().size(),
                                Long::sum);
                        }
                    }
                }
            } catch (ExecutionException e) {
                // this broker does not answer DescribeLogDirs: its sizes stay unknown
            }
        }
        return sizes;
    }

    /** The settings set on each topic itself (not inherited from the broker or the defaults). */
    private static Map<String, Map<String, String>> topicConfigs(Admin admin, Collection<String> topics) throws InterruptedException {
        List<ConfigResource> resources = topics.stream().map(t -> new ConfigResource(ConfigResource.Type.TOPIC, t)).toList();
        Map<String, Map<String, String>> configs = new HashMap<>();
        if (resources.isEmpty()) {
            return configs;
        }
        Map<ConfigResource, KafkaFuture<Config>> futures = admin.describeConfigs(resources).values();
        for (ConfigResource resource : resources) {
            try {
                Map<String, String> set = new java.util.TreeMap<>();
                for (ConfigEntry entry : futures.get(resource).get().entries()) {
                    if (entry.source() == ConfigEntry.ConfigSource.DYNAMIC_TOPIC_CONFIG) {
                        set.put(entry.name(), entry.isSensitive() ? "(hidden)" : entry.value());
                    }
                }
                configs.put(resource.name(), set);
            } catch (ExecutionException e) {
                // configs are extra information; the partitions are still worth showing
            }
        }
        return configs;
    }
}
