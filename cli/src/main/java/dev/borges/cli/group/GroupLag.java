package dev.borges.cli.group;

import dev.borges.cli.CliException;
import dev.borges.cli.client.KafkaErrors;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.GroupIdNotFoundException;

/**
 * One consumer group as {@code borges group describe} shows it: its state and members, and per
 * partition it has committed to or is assigned: the committed offset, the partition's end offset
 * and the lag between them (how many records the group has yet to read).
 *
 * <p>Loaded with three requests (DescribeGroups, OffsetFetch, ListOffsets latest); immutable.
 *
 * @param partitions sorted by topic, then partition
 */
record GroupLag(String groupId, String state, String coordinator, int members, List<PartitionLag> partitions) {

    /** A partition the group has committed to or is assigned. Null fields are unknown or absent. */
    record PartitionLag(String topic, int partition, Long committed, Long end, String memberId, String host, String clientId) {
        /** End minus committed; null without a committed offset or end. */
        Long lag() {
            return committed == null || end == null ? null : Math.max(0, end - committed);
        }
    }

    /** The sum of the known lags. */
    long totalLag() {
        return partitions.stream().mapToLong(p -> p.lag() == null ? 0 : p.lag()).sum();
    }

    /**
     * @throws CliException if the group does not exist
     */
    static GroupLag load(Admin admin, String groupId, Duration timeout) throws InterruptedException {
        ConsumerGroupDescription description;
        Map<TopicPartition, OffsetAndMetadata> committed;
        try {
            description = admin.describeConsumerGroups(List.of(groupId)).describedGroups().get(groupId).get();
            committed = admin.listConsumerGroupOffsets(groupId).partitionsToOffsetAndMetadata().get();
        } catch (ExecutionException e) {
            if (KafkaErrors.unwrap(e) instanceof GroupIdNotFoundException) {
                throw missing(groupId);
            }
            throw KafkaErrors.toCli(e, timeout);
        }
        if (description.groupState() == GroupState.DEAD && committed.isEmpty()) {
            throw missing(groupId);
        }
        Map<TopicPartition, MemberDescription> owners = new HashMap<>();
        for (MemberDescription member : description.members()) {
            member.assignment().topicPartitions().forEach(tp -> owners.put(tp, member));
        }
        TreeMap<String, TreeMap<Integer, TopicPartition>> sorted = new TreeMap<>();
        for (TopicPartition tp : union(committed.keySet(), owners.keySet())) {
            sorted.computeIfAbsent(tp.topic(), t -> new TreeMap<>()).put(tp.partition(), tp);
        }
        List<TopicPartition> all = sorted.values().stream().flatMap(m -> m.values().stream()).toList();
        Map<TopicPartition, Long> ends = endOffsets(admin, all);
        List<PartitionLag> partitions = new ArrayList<>();
        for (TopicPartition tp : all) {
            OffsetAndMetadata offset = committed.get(tp);
            MemberDescription owner = owners.get(tp);
            partitions.add(new PartitionLag(tp.topic(), tp.partition(), offset == null ? null : offset.offset(), ends.get(tp),
                owner == null ? null : owner.consumerId(), owner == null ? null : owner.host(),
                owner == null ? null : owner.clientId()));
        }
        String coordinator = Optional.ofNullable(description.coordinator()).map(n -> n.id() + " (" + n.host() + ":" + n.port() + ")")
            .orElse(null);
        return new GroupLag(groupId, stateName(description.groupState()), coordinator, description.members().size(), partitions);
    }

    static CliException missing(String groupId) {
        return new CliException("consumer group '" + groupId + "' does not exist", "Run 'borges group list' to see the groups.");
    }

    /** {@code Stable}, {@code Empty}, {@code PreparingRebalance}, ... as Kafka's tools print them. */
    static String stateName(GroupState state) {
        return state == null ? "Unknown" : state.toString();
    }

    /** The latest offsets; partitions whose leader does not answer are left out. */
    static Map<TopicPartition, Long> endOffsets(Admin admin, Collection<TopicPartition> partitions) throws InterruptedException {
        Map<TopicPartition, OffsetSpec> request = new LinkedHashMap<>();
        partitions.forEach(tp -> request.put(tp, OffsetSpec.latest()));
        Map<TopicPartition, Long> ends = new HashMap<>();
        if (request.isEmpty()) {
            return ends;
        }
        ListOffsetsResult result = admin.listOffsets(request);
        for (TopicPartition tp : partitions) {
            try {
                ends.put(tp, result.partitionResult(tp).get().offset());
            } catch (ExecutionException e) {
                // deleted topic or no leader: lag unknown
            }
        }
        return ends;
    }

    private static List<TopicPartition> union(Collection<TopicPartition> a, Collection<TopicPartition> b) {
        java.util.LinkedHashSet<TopicPartition> all = new java.util.LinkedHashSet<>(a);
        all.addAll(b);
        return new ArrayList<>(all);
    }
}
