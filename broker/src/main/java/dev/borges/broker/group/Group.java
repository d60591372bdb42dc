package dev.borges.broker.group;

import dev.borges.broker.coordinator.CoordinatorException;
import java.util.Optional;
import java.util.function.LongUnaryOperator;

/**
 * What the group coordinator needs to know about any group, whatever its type, to list it, guard
 * its committed offsets and expire them. A classic group ({@code classic.ClassicGroup}) is one; a
 * consumer group of the KIP-848 protocol ({@code consumer.ConsumerGroup}) is another, hosted by
 * the same shard. A group id names one group of one type at a time.
 *
 * <p>Threading: owned by one coordinator shard; used on its thread only.
 */
public interface Group {
    String groupId();

    GroupType type();

    /** The state as ListGroups and DescribeGroups report it ("Empty", "Stable", ...). */
    String stateName();

    /** The protocol type ("consumer", "connect", ...), or "" for a group that only stores offsets. */
    String protocolType();

    /** Whether the group has no members (DeleteGroups needs that; offsets of empty groups expire). */
    boolean isEmpty();

    /**
     * May this committer store offsets for the group? {@code generationIdOrMemberEpoch} is -1 for
     * commits from outside group management (a consumer using {@code assign}, an admin tool).
     *
     * @param apiVersion the OffsetCommit version (members of consumer groups must use 9 or later)
     * @return the check each committed partition must then pass ({@link CommitPartitionValidator#NO_OP}
     *         unless a consumer group member commits with an epoch older than its current one)
     * @throws CoordinatorException with the Kafka error otherwise ({@code UNKNOWN_MEMBER_ID},
     *                              {@code ILLEGAL_GENERATION}, {@code STALE_MEMBER_EPOCH},
     *                              {@code FENCED_INSTANCE_ID}, {@code REBALANCE_IN_PROGRESS}, ...)
     */
    CommitPartitionValidator validateOffsetCommit(String memberId, String groupInstanceId, int generationIdOrMemberEpoch, short apiVersion);

    /**
     * May this committer store offsets in a transaction (TxnOffsetCommit)? As
     * {@link #validateOffsetCommit}, with Kafka's differences for transactions: versions before 3
     * name no member, and a stale member epoch is {@code ILLEGAL_GENERATION}.
     *
     * @param memberId "" when the request names none
     * @return the check each committed partition must then pass (an older member epoch is
     *         {@code ILLEGAL_GENERATION} for the partitions it does not cover)
     * @throws CoordinatorException {@code UNKNOWN_MEMBER_ID}, {@code ILLEGAL_GENERATION},
     *                              {@code FENCED_INSTANCE_ID}, ...
     */
    CommitPartitionValidator validateTransactionalOffsetCommit(String memberId, String groupInstanceId, int generationIdOrMemberEpoch);

    /**
     * May this reader fetch the group's offsets? OffsetFetch from version 9 names the member and
     * its epoch (the consumer group protocol's consumers do, so they never read offsets of
     * partitions they no longer own); null and -1 otherwise. Classic groups accept anyone.
     *
     * @throws CoordinatorException {@code UNKNOWN_MEMBER_ID} or {@code STALE_MEMBER_EPOCH}
     */
    default void validateOffsetFetch(String memberId, int memberEpoch) {
    }

    /**
     * May the group's offsets be deleted (OffsetDelete)? Only those of topics nobody in it consumes.
     *
     * @throws CoordinatorException {@code NON_EMPTY_GROUP} when the group has members but their subscriptions are unknown
     */
    void validateOffsetDelete();

    /** Whether a member consumes {@code topic}; true when that cannot be known. */
    boolean isSubscribedToTopic(String topic);

    /**
     * How the group's offsets expire: a function from an offset's commit time to the time its
     * retention counts from, or empty while none of them may expire. Offsets of topics the group
     * is subscribed to never expire.
     */
    Optional<LongUnaryOperator> offsetRetentionBase();

    /**
     * DeleteGroups: may the group be deleted?
     *
     * @throws CoordinatorException {@code NON_EMPTY_GROUP} while it has members
     */
    void validateDelete();
}
