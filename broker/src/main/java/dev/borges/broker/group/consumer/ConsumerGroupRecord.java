package dev.borges.broker.group.consumer;

import dev.borges.broker.group.assignor.Assignment;
import dev.borges.broker.group.assignor.TopicPartition;
import dev.borges.protocol.types.Uuid;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * One change to the state of a KIP-848 consumer group, as stored in {@code __consumer_offsets}.
 * A group's state is exactly what replaying its records in log order gives
 * ({@link ConsumerGroupManager#replay}); operations never change state another way. The byte
 * format of each record is documented in {@link ConsumerGroupRecordCodec}.
 *
 * <p>Six kinds, each with its record type (the key's first int16, Kafka's numbering):
 *
 * <pre>
 *  type  record                 key                 says
 *  ----  ---------------------  ------------------  -------------------------------------------
 *   3    GroupEpoch             group               the group epoch (bumped on every change of
 *                                                   membership, subscriptions or topic metadata)
 *   4    SubscriptionMetadata   group               id and partition count of every subscribed
 *                                                   topic that exists, as of the group epoch
 *   5    MemberSubscription     group, member       a member's static data and subscription
 *   6    TargetAssignmentEpoch  group               the group epoch the target assignment is for
 *   7    TargetAssignmentMember group, member       one member's target partitions
 *   8    CurrentAssignment      group, member       a member's epoch, state, partitions it owns
 *                                                   and partitions it must give back, each with
 *                                                   the epoch it was assigned at
 * </pre>
 *
 * A {@link Tombstone} (null value) removes one of them: a member leaves with tombstones of its
 * types 8, 7 and 5, in that order; a deleted group ends with tombstones of types 6, 4 and 3.
 * Immutable values; any thread.
 */
public sealed interface ConsumerGroupRecord {

    /** The type of this record (also that of a tombstone's deleted record). */
    RecordType type();

    String groupId();

    /** The record types of the KIP-848 consumer group, with Kafka's numbers. */
    enum RecordType {
        GROUP_METADATA(3, false),
        PARTITION_METADATA(4, false),
        MEMBER_METADATA(5, true),
        TARGET_ASSIGNMENT_METADATA(6, false),
        TARGET_ASSIGNMENT_MEMBER(7, true),
        CURRENT_MEMBER_ASSIGNMENT(8, true);

        /** The int16 that starts the record's key. */
        public final short id;
        /** Whether the key names a member as well as the group. */
        public final boolean perMember;

        RecordType(int id, boolean perMember) {
            this.id = (short) id;
            this.perMember = perMember;
        }

        /** The type with this id, or null if it is not a consumer group record (offsets, classic groups, …). */
        public static RecordType forId(short id) {
            for (RecordType type : values()) {
                if (type.id == id) {
                    return type;
                }
            }
            return null;
        }
    }

    /** Type 3: the group's epoch. */
    record GroupEpoch(String groupId, int epoch) implements ConsumerGroupRecord {
        public GroupEpoch {
            Objects.requireNonNull(groupId);
        }

        @Override
        public RecordType type() {
            return RecordType.GROUP_METADATA;
        }
    }

    /**
     * Type 4: the subscribed topics that exist, by name, as the group last saw them. A change (a
     * topic created, deleted or given more partitions) bumps the group epoch.
     */
    record SubscriptionMetadata(String groupId, Map<String, TopicMetadata> topics) implements ConsumerGroupRecord {
        public SubscriptionMetadata {
            Objects.requireNonNull(groupId);
            topics = Collections.unmodifiableMap(new TreeMap<>(topics));
        }

        @Override
        public RecordType type() {
            return RecordType.PARTITION_METADATA;
        }
    }

    /** A subscribed topic as the group last saw it. */
    record TopicMetadata(Uuid topicId, String name, int partitionCount) {
        public TopicMetadata {
            Objects.requireNonNull(topicId);
            Objects.requireNonNull(name);
        }
    }

    /**
     * Type 5: what a member told the coordinator about itself.
     *
     * @param instanceId           {@code group.instance.id} of a static member, else null
     * @param rackId               the client's rack, or null
     * @param subscribedTopicNames sorted, no duplicates
     * @param subscribedTopicRegex the regex subscription, or null
     * @param rebalanceTimeoutMs   how long the member may take to give partitions back
     * @param serverAssignor       the assignor it asked for, or null
     */
    record MemberSubscription(
            String groupId,
            String memberId,
            String instanceId,
            String rackId,
            String clientId,
            String clientHost,
            List<String> subscribedTopicNames,
            String subscribedTopicRegex,
            int rebalanceTimeoutMs,
            String serverAssignor) implements ConsumerGroupRecord {
        public MemberSubscription {
            Objects.requireNonNull(groupId);
            Objects.requireNonNull(memberId);
            Objects.requireNonNull(clientId);
            Objects.requireNonNull(clientHost);
            subscribedTopicNames = List.copyOf(subscribedTopicNames);
        }

        @Override
        public RecordType type() {
            return RecordType.MEMBER_METADATA;
        }
    }

    /** Type 6: the group epoch the stored target assignment was computed for. */
    record TargetAssignmentEpoch(String groupId, int assignmentEpoch) implements ConsumerGroupRecord {
        public TargetAssignmentEpoch {
            Objects.requireNonNull(groupId);
        }

        @Override
        public RecordType type() {
            return RecordType.TARGET_ASSIGNMENT_METADATA;
        }
    }

    /** Type 7: the partitions one member should eventually own. */
    record TargetAssignmentMember(String groupId, String memberId, Assignment assignment) implements ConsumerGroupRecord {
        public TargetAssignmentMember {
            Objects.requireNonNull(groupId);
            Objects.requireNonNull(memberId);
            Objects.requireNonNull(assignment);
        }

        @Override
        public RecordType type() {
            return RecordType.TARGET_ASSIGNMENT_MEMBER;
        }
    }

    /**
     * Type 8: where a member stands in reconciling towards its target.
     *
     * @param memberEpoch         the epoch the member must send in its next heartbeat (-2: a
     *                            static member that left for now)
     * @param previousMemberEpoch the epoch before the last bump, accepted in case the response
     *                            carrying the bump was lost
     * @param assigned            partitions the member owns (or may start using)
     * @param pendingRevocation   partitions it still owns but must give back
     * @param assignmentEpochs    for each partition of {@code assigned} and {@code pendingRevocation},
     *                            the member epoch at which it was assigned to the member (KIP-1251:
     *                            the member may commit offsets of the partition with any epoch from
     *                            that one up to its current epoch). A partition missing here (a
     *                            record written before KIP-1251) counts as assigned at the member
     *                            epoch, or 0 if that is negative, as Kafka reads such records;
     *                            entries for other partitions are dropped.
     */
    record CurrentAssignment(
            String groupId,
            String memberId,
            int memberEpoch,
            int previousMemberEpoch,
            MemberState state,
            Assignment assigned,
            Assignment pendingRevocation,
            Map<TopicPartition, Integer> assignmentEpochs) implements ConsumerGroupRecord {
        public CurrentAssignment {
            Objects.requireNonNull(groupId);
            Objects.requireNonNull(memberId);
            Objects.requireNonNull(state);
            Objects.requireNonNull(assigned);
            Objects.requireNonNull(pendingRevocation);
            assignmentEpochs = completeEpochs(assigned, pendingRevocation, assignmentEpochs, Math.max(memberEpoch, 0));
        }

        /** A record without assignment epochs: every partition counts as assigned at the member epoch. */
        public CurrentAssignment(String groupId, String memberId, int memberEpoch, int previousMemberEpoch,
                                 MemberState state, Assignment assigned, Assignment pendingRevocation) {
            this(groupId, memberId, memberEpoch, previousMemberEpoch, state, assigned, pendingRevocation, Map.of());
        }

        /** The epoch at which the member was assigned this partition, or null if it does not own it. */
        public Integer assignmentEpoch(Uuid topicId, int partition) {
            return assignmentEpochs.get(new TopicPartition(topicId, partition));
        }

        private static Map<TopicPartition, Integer> completeEpochs(
                Assignment assigned, Assignment pendingRevocation, Map<TopicPartition, Integer> epochs, int defaultEpoch) {
            Map<TopicPartition, Integer> complete = new TreeMap<>();
            for (Assignment owned : List.of(assigned, pendingRevocation)) {
                owned.partitions().forEach((topicId, partitions) -> partitions.forEach(partition -> {
                    TopicPartition topicPartition = new TopicPartition(topicId, partition);
                    complete.put(topicPartition, epochs.getOrDefault(topicPartition, defaultEpoch));
                }));
            }
            return Collections.unmodifiableMap(complete);
        }

        @Override
        public RecordType type() {
            return RecordType.CURRENT_MEMBER_ASSIGNMENT;
        }
    }

    /**
     * The deletion of a record of {@code type}: its key with a null value.
     *
     * @param memberId the member for per-member types, null for group-level ones
     */
    record Tombstone(RecordType type, String groupId, String memberId) implements ConsumerGroupRecord {
        public Tombstone {
            Objects.requireNonNull(type);
            Objects.requireNonNull(groupId);
            if (type.perMember != (memberId != null)) {
                throw new IllegalArgumentException("A " + type + " tombstone " + (type.perMember ? "needs" : "takes no")
                    + " member id");
            }
        }

        public static Tombstone ofGroup(RecordType type, String groupId) {
            return new Tombstone(type, groupId, null);
        }

        public static Tombstone ofMember(RecordType type, String groupId, String memberId) {
            return new Tombstone(type, groupId, memberId);
        }
    }
}
