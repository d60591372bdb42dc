package dev.borges.metadata.controller;

import dev.borges.metadata.image.MetadataImage;
import dev.borges.metadata.image.TopicImage;
import dev.borges.metadata.record.ConfigRecord;
import dev.borges.metadata.record.ConfigResource;
import dev.borges.metadata.record.MetadataRecord;
import dev.borges.metadata.record.PartitionRecord;
import dev.borges.metadata.record.RemoveTopicRecord;
import dev.borges.metadata.record.TopicRecord;
import dev.borges.protocol.Errors;
import dev.borges.protocol.types.Uuid;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * Validates topic operations (create, delete, add partitions) against an image and turns each
 * accepted item into records; Kafka's {@code ReplicationControlManager} for what Borges needs so far.
 * Every topic in a request succeeds or fails on its own; the accepted ones are committed together.
 *
 * <p>A new partition's leader is its first replica and its ISR all its replicas (every registered
 * broker counts as alive until brokers heartbeat); epochs start at 0.
 *
 * <p>Pure function of (image, request) apart from the placer's random start and random topic ids;
 * runs on the controller thread.
 */
final class TopicControl {
    /** Kafka refuses to create more partitions than this in one request (POLICY_VIOLATION). */
    static final int MAX_PARTITIONS_PER_REQUEST = 10_000;

    private final ControllerConfig config;
    private final ConfigControl configs;
    private final ReplicaPlacer placer;

    TopicControl(ControllerConfig config, ConfigControl configs, ReplicaPlacer placer) {
        this.config = config;
        this.configs = configs;
        this.placer = placer;
    }

    ControllerResult<List<CreateTopicResult>> createTopics(MetadataImage image, List<NewTopic> topics) {
        Map<String, Integer> occurrences = new HashMap<>();
        topics.forEach(t -> occurrences.merge(t.name(), 1, Integer::sum));
        Map<String, String> takenUnified = new HashMap<>();
        image.topics().byName().keySet().forEach(name -> takenUnified.put(TopicNames.unifyCollisionChars(name), name));
        Set<Integer> brokers = new HashSet<>(image.cluster().brokerIds());

        List<MetadataRecord> records = new ArrayList<>();
        List<CreateTopicResult> results = new ArrayList<>();
        int partitionsSoFar = 0;
        for (NewTopic topic : topics) {
            String name = topic.name();
            Optional<ApiError> error = occurrences.get(name) > 1
                ? Optional.of(new ApiError(Errors.INVALID_REQUEST, "Found multiple entries for topic '" + name + "'."))
                : TopicNames.validate(name).map(m -> new ApiError(Errors.INVALID_TOPIC_EXCEPTION, m));
            if (error.isEmpty() && image.topics().topic(name) != null) {
                error = Optional.of(new ApiError(Errors.TOPIC_ALREADY_EXISTS, "Topic '" + name + "' already exists."));
            }
            String collision = error.isEmpty() ? takenUnified.get(TopicNames.unifyCollisionChars(name)) : null;
            if (collision != null) {
                error = Optional.of(new ApiError(Errors.INVALID_TOPIC_EXCEPTION,
                    "Topic '" + name + "' collides with existing topic: " + collision));
            }
            List<List<Integer>> placements = new ArrayList<>();
            if (error.isEmpty()) {
                error = placements(topic, brokers, placements);
            }
            if (error.isEmpty() && partitionsSoFar + placements.size() > MAX_PARTITIONS_PER_REQUEST) {
                error = Optional.of(new ApiError(Errors.POLICY_VIOLATION, "Excessively large number of partitions per request."));
            }
            if (error.isEmpty()) {
                error = configs.validateNewTopicConfigs(name, topic.configs());
            }
            if (error.isPresent()) {
                results.add(CreateTopicResult.failed(name, error.get().error(), error.get().message()));
                continue;
            }
            Uuid id = newTopicId(image);
            records.add(new TopicRecord(name, id));
            new TreeMap<>(topic.configs()).forEach((key, value) ->
                records.add(new ConfigRecord(ConfigResource.topic(name), key, value)));
            for (int p = 0; p < placements.size(); p++) {
                records.add(newPartition(id, p, placements.get(p)));
            }
            partitionsSoFar += placements.size();
            takenUnified.put(TopicNames.unifyCollisionChars(name), name);
            results.add(new CreateTopicResult(name, Errors.NONE, null, id, placements.size(),
                (short) placements.get(0).size(), topic.configs()));
        }
        return new ControllerResult<>(records, results);
    }

    /** Fills {@code out} with one replica list per partition, or says why the request is invalid. */
    private Optional<ApiError> placements(NewTopic topic, Set<Integer> brokers, List<List<Integer>> out) {
        if (!topic.assignments().isEmpty()) {
            if (topic.numPartitions() != -1 || topic.replicationFactor() != -1) {
                return Optional.of(new ApiError(Errors.INVALID_REQUEST, "Both numPartitions or replicationFactor and "
                    + "replicasAssignments were set. Both cannot be used at the same time."));
            }
            int expectedSize = -1;
            for (int p = 0; p < topic.assignments().size(); p++) {
                List<Integer> replicas = topic.assignments().get(p);
                if (replicas == null) {
                    return ReplicaAssignments.invalid("Partitions must be numbered 0 to "
                        + (topic.assignments().size() - 1) + " without gaps; partition " + p + " is missing.");
                }
                Optional<ApiError> error = ReplicaAssignments.validate(replicas, brokers, expectedSize);
                if (error.isPresent()) {
                    return error;
                }
                expectedSize = replicas.size();
                out.add(replicas);
            }
            return Optional.empty();
        }
        int partitions = topic.numPartitions() == -1 ? config.defaultPartitions() : topic.numPartitions();
        if (partitions <= 0) {
            return Optional.of(new ApiError(Errors.INVALID_PARTITIONS,
                "Number of partitions was set to an invalid non-positive value."));
        }
        int replicationFactor = topic.replicationFactor() == -1 ? config.defaultReplicationFactor() : topic.replicationFactor();
        if (replicationFactor <= 0) {
            return Optional.of(new ApiError(Errors.INVALID_REPLICATION_FACTOR,
                "Replication factor must be larger than 0, or -1 to use the default value."));
        }
        Optional<ApiError> error = ReplicaAssignments.checkReplicationFactor(replicationFactor, brokers.size());
        if (error.isPresent()) {
            return error;
        }
        if (partitions > MAX_PARTITIONS_PER_REQUEST) {
            return Optional.of(new ApiError(Errors.POLICY_VIOLATION, "Excessively large number of partitions per request."));
        }
        out.addAll(placer.place(List.copyOf(brokers), 0, partitions, replicationFactor));
        return Optional.empty();
    }

    ControllerResult<List<TopicResult>> deleteTopics(MetadataImage image, List<String> names) {
        List<MetadataRecord> records = new ArrayList<>();
        List<TopicResult> results = new ArrayList<>();
        Set<Uuid> removed = new HashSet<>();
        for (String name : names) {
            TopicImage topic = name == null ? null : image.topics().topic(name);
            results.add(delete(topic, name, null, removed, records));
        }
        return new ControllerResult<>(records, results);
    }

    ControllerResult<List<TopicResult>> deleteTopicsById(MetadataImage image, List<Uuid> ids) {
        List<MetadataRecord> records = new ArrayList<>();
        List<TopicResult> results = new ArrayList<>();
        Set<Uuid> removed = new HashSet<>();
        for (Uuid id : ids) {
            TopicImage topic = id == null ? null : image.topics().topic(id);
            results.add(delete(topic, null, id, removed, records));
        }
        return new ControllerResult<>(records, results);
    }

    private static TopicResult delete(TopicImage topic, String name, Uuid id, Set<Uuid> removed,
                                      List<MetadataRecord> records) {
        if (topic == null) {
            return new TopicResult(name, id == null ? Uuid.ZERO : id,
                id == null ? Errors.UNKNOWN_TOPIC_OR_PARTITION : Errors.UNKNOWN_TOPIC_ID,
                "This server does not host this topic.");
        }
        if (removed.add(topic.id())) {
            records.add(new RemoveTopicRecord(topic.id()));
        }
        return TopicResult.ok(topic.name(), topic.id());
    }

    ControllerResult<List<TopicResult>> createPartitions(MetadataImage image, List<NewPartitions> requests) {
        Map<String, Integer> occurrences = new HashMap<>();
        requests.forEach(r -> occurrences.merge(r.name(), 1, Integer::sum));
        Set<Integer> brokers = new HashSet<>(image.cluster().brokerIds());
        List<MetadataRecord> records = new ArrayList<>();
        List<TopicResult> results = new ArrayList<>();
        int partitionsSoFar = 0;
        for (NewPartitions request : requests) {
            TopicImage topic = image.topics().topic(request.name());
            Optional<ApiError> error = Optional.empty();
            List<List<Integer>> placements = new ArrayList<>();
            if (occurrences.get(request.name()) > 1) {
                error = Optional.of(new ApiError(Errors.INVALID_REQUEST, "Duplicate topic name."));
            } else if (topic == null) {
                error = Optional.of(new ApiError(Errors.UNKNOWN_TOPIC_OR_PARTITION, "The topic '" + request.name()
                    + "' does not exist."));
            } else {
                error = newPlacements(topic, request, brokers, placements);
            }
            if (error.isEmpty() && partitionsSoFar + placements.size() > MAX_PARTITIONS_PER_REQUEST) {
                error = Optional.of(new ApiError(Errors.POLICY_VIOLATION, "Excessively large number of partitions per request."));
            }
            if (error.isPresent()) {
                results.add(new TopicResult(request.name(), topic == null ? Uuid.ZERO : topic.id(), error.get().error(),
                    error.get().message()));
                continue;
            }
            int first = topic.partitionCount();
            for (int i = 0; i < placements.size(); i++) {
                records.add(newPartition(topic.id(), first + i, placements.get(i)));
            }
            partitionsSoFar += placements.size();
            results.add(TopicResult.ok(topic.name(), topic.id()));
        }
        return new ControllerResult<>(records, results);
    }

    private Optional<ApiError> newPlacements(TopicImage topic, NewPartitions request, Set<Integer> brokers,
                                             List<List<Integer>> out) {
        int current = topic.partitionCount();
        if (request.totalCount() < current) {
            return Optional.of(new ApiError(Errors.INVALID_PARTITIONS, "The topic " + topic.name() + " currently has "
                + current + " partition(s); " + request.totalCount() + " would not be an increase."));
        }
        if (request.totalCount() == current) {
            return Optional.of(new ApiError(Errors.INVALID_PARTITIONS, "Topic already has " + current + " partition(s)."));
        }
        int added = request.totalCount() - current;
        int replicationFactor = topic.partitions().isEmpty() ? 1 : topic.partition(topic.partitions().firstKey()).replicas().size();
        if (!request.assignments().isEmpty()) {
            if (request.assignments().size() != added) {
                return ReplicaAssignments.invalid("Attempted to add " + added + " additional partition(s), but only "
                    + request.assignments().size() + " assignment(s) were specified.");
            }
            for (List<Integer> replicas : request.assignments()) {
                Optional<ApiError> error = ReplicaAssignments.validate(replicas, brokers, replicationFactor);
                if (error.isPresent()) {
                    return error;
                }
            }
            out.addAll(request.assignments());
            return Optional.empty();
        }
        Optional<ApiError> error = ReplicaAssignments.checkReplicationFactor(replicationFactor, brokers.size());
        if (error.isPresent()) {
            return error;
        }
        if (added > MAX_PARTITIONS_PER_REQUEST) {
            return Optional.of(new ApiError(Errors.POLICY_VIOLATION, "Excessively large number of partitions per request."));
        }
        out.addAll(placer.place(List.copyOf(brokers), current, added, replicationFactor));
        return Optional.empty();
    }

    private static PartitionRecord newPartition(Uuid topicId, int partitionId, List<Integer> replicas) {
        return new PartitionRecord(topicId, partitionId, replicas, replicas, replicas.get(0), 0, 0);
    }

    private static Uuid newTopicId(MetadataImage image) {
        while (true) {
            Uuid id = Uuid.randomUuid();
            if (image.topics().topic(id) == null) {
                return id;
            }
        }
    }
}
