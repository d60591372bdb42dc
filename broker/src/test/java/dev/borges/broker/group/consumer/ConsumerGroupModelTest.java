package dev.borges.broker.group.consumer;

import static dev.borges.broker.group.consumer.ConsumerGroupTestContext.assignmentOf;
import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.broker.group.assignor.Assignment;
import dev.borges.broker.group.assignor.TopicPartition;
import dev.borges.protocol.Errors;
import dev.borges.protocol.message.ConsumerGroupHeartbeatRequestData;
import dev.borges.protocol.message.ConsumerGroupHeartbeatResponseData;
import dev.borges.protocol.types.Uuid;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.stream.Collectors;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * A simulation of one consumer group: simulated consumers join, heartbeat, apply their
 * assignments late, lose responses, change subscriptions, leave, leave for now (static), crash
 * and come back as new processes, while topics grow, appear and disappear and the clock moves so
 * sessions and rebalance timeouts expire. Each step runs through {@link ConsumerGroupTestContext}
 * (records encoded, decoded, replayed). After every step the named invariants must hold:
 *
 * <ul>
 *   <li>{@code SingleOwner}: no partition is assigned to, or pending revocation at, two members.</li>
 *   <li>{@code ClientsOwnOnlyTheirs}: every consumer the group still knows owns only partitions
 *       its member is recorded as owning, so no two live consumers ever consume one partition.</li>
 *   <li>{@code OwnersMayCommit}: such a consumer may commit the offsets of every partition it
 *       owns with the last epoch it heard of, even if its member's epoch has moved on since
 *       (KIP-1251 assignment epochs).</li>
 *   <li>{@code MonotonicEpochs}: the group and assignment epochs never go down, the assignment
 *       epoch never passes the group epoch, and a member id's epoch never goes down.</li>
 *   <li>{@code ValidTargets}: target assignments are disjoint and, once computed for the current
 *       group epoch, only name existing partitions of topics their member subscribes to.</li>
 *   <li>{@code ReplayRebuildsState}: replaying the whole log from scratch gives the live state.</li>
 * </ul>
 *
 * Then the chaos stops and every consumer heartbeats until things settle ({@code Converges}):
 * the group is stable, every partition of a subscribed topic is owned by exactly one member, and
 * each consumer owns exactly what its member is assigned. A failure names its seed.
 */
class ConsumerGroupModelTest {
    private static final String GROUP = "group";
    private static final List<String> TOPIC_NAMES = List.of("t0", "t1", "t2", "t3", "t4");
    private static final int REBALANCE_TIMEOUT_MS = 30_000;

    @Property(tries = 150)
    void invariantsHoldAndTheGroupConverges(@ForAll long seed) {
        new Simulation(new Random(seed)).run(250);
    }

    /** One simulated consumer process (a new process, with a new member id, after a crash). */
    private static final class Consumer {
        final String name;
        final String instanceId;
        String memberId;
        int incarnation;
        boolean joined;
        boolean away;
        int epoch;
        Assignment owned = Assignment.EMPTY;
        Assignment received;
        boolean sendFull;
        List<String> topics;
        String regex;

        Consumer(String name, String instanceId, List<String> topics) {
            this.name = name;
            this.instanceId = instanceId;
            this.memberId = name + "-0";
            this.topics = topics;
        }

        void reset() {
            joined = false;
            sendFull = false;
            epoch = 0;
            owned = Assignment.EMPTY;
            received = null;
        }

        void newProcess() {
            reset();
            incarnation++;
            memberId = name + "-" + incarnation;
        }
    }

    private static final class Simulation {
        private final Random random;
        private final ConsumerGroupTestContext context = new ConsumerGroupTestContext();
        private final List<Consumer> consumers = new ArrayList<>();
        private final Map<String, Integer> lastEpochs = new HashMap<>();
        private int lastGroupEpoch;
        private int lastAssignmentEpoch;

        Simulation(Random random) {
            this.random = random;
            context.topic("t0", 3);
            context.topic("t1", 2);
            context.topic("t2", 4);
            int count = 2 + random.nextInt(4);
            for (int index = 0; index < count; index++) {
                String instanceId = random.nextInt(3) == 0 ? "instance-" + index : null;
                consumers.add(new Consumer("c" + index, instanceId, randomTopics()));
            }
        }

        void run(int steps) {
            for (int step = 0; step < steps; step++) {
                randomStep();
                checkInvariants();
                if (step % 50 == 0) {
                    checkReplayRebuildsState();
                }
            }
            settle();
            checkInvariants();
            checkReplayRebuildsState();
            checkConverged();
        }

        private void randomStep() {
            Consumer consumer = consumers.get(random.nextInt(consumers.size()));
            int dice = random.nextInt(100);
            if (dice < 45) {
                if (consumer.joined) {
                    heartbeat(consumer, random.nextInt(10) == 0);
                } else if (consumer.away) {
                    comeBack(consumer);
                } else {
                    join(consumer);
                }
            } else if (dice < 60) {
                applyReceived(consumer);
            } else if (dice < 67 && consumer.joined) {
                changeSubscription(consumer);
            } else if (dice < 71 && consumer.joined) {
                leave(consumer);
            } else if (dice < 74 && consumer.joined && consumer.instanceId != null) {
                leaveForNow(consumer);
            } else if (dice < 77) {
                consumer.newProcess();
            } else if (dice < 85) {
                changeTopics();
            } else {
                context.advance(random.nextInt(20_000));
            }
        }

        private void join(Consumer consumer) {
            ConsumerGroupHeartbeatRequestData request = ConsumerGroupTestContext.join(GROUP, consumer.memberId)
                .setInstanceId(consumer.instanceId)
                .setRebalanceTimeoutMs(REBALANCE_TIMEOUT_MS)
                .setSubscribedTopicNames(consumer.regex == null ? consumer.topics : List.of())
                .setSubscribedTopicRegex(consumer.regex);
            ConsumerGroupHeartbeatResponseData response = context.heartbeat(request);
            if (response.errorCode() == Errors.NONE.code) {
                consumer.joined = true;
                consumer.away = false;
                accept(consumer, response);
            } else {
                assertThat(Errors.forCode(response.errorCode())).isIn(Errors.UNRELEASED_INSTANCE_ID);
            }
        }

        /** A static consumer that left for now comes back, as a new process with its instance id. */
        private void comeBack(Consumer consumer) {
            consumer.newProcess();
            join(consumer);
        }

        /**
         * A heartbeat, sometimes partial (owned partitions not listed). When a response is lost the
         * consumer, like Kafka's, drops the reconciliation it had not finished and sends a full
         * heartbeat next, which brings its assignment back.
         */
        private void heartbeat(Consumer consumer, boolean loseResponse) {
            boolean partial = !consumer.sendFull && random.nextInt(4) == 0;
            ConsumerGroupHeartbeatRequestData request = ConsumerGroupTestContext.heartbeat(GROUP, consumer.memberId,
                    consumer.epoch, partial ? null : consumer.owned)
                .setInstanceId(consumer.instanceId);
            if (consumer.sendFull) {
                request.setRebalanceTimeoutMs(REBALANCE_TIMEOUT_MS)
                    .setSubscribedTopicNames(consumer.regex == null ? consumer.topics : List.of())
                    .setSubscribedTopicRegex(consumer.regex);
            }
            ConsumerGroupHeartbeatResponseData response = context.heartbeat(request);
            if (loseResponse) {
                consumer.received = null;
                consumer.sendFull = true;
                return;
            }
            consumer.sendFull = false;
            handle(consumer, response);
        }

        private void changeSubscription(Consumer consumer) {
            if (random.nextInt(4) == 0) {
                consumer.regex = "t[0-" + random.nextInt(5) + "]";
            } else {
                consumer.regex = null;
                consumer.topics = randomTopics();
            }
            ConsumerGroupHeartbeatRequestData request = ConsumerGroupTestContext.heartbeat(GROUP, consumer.memberId,
                    consumer.epoch, consumer.owned)
                .setInstanceId(consumer.instanceId)
                .setSubscribedTopicNames(consumer.regex == null ? consumer.topics : List.of())
                .setSubscribedTopicRegex(consumer.regex == null ? "" : consumer.regex);
            handle(consumer, context.heartbeat(request));
        }

        private void leave(Consumer consumer) {
            ConsumerGroupHeartbeatResponseData response = context.heartbeat(
                ConsumerGroupTestContext.leave(GROUP, consumer.memberId).setInstanceId(consumer.instanceId));
            assertThat(response.errorCode()).isIn(Errors.NONE.code, Errors.UNKNOWN_MEMBER_ID.code, Errors.FENCED_INSTANCE_ID.code);
            consumer.reset();
        }

        private void leaveForNow(Consumer consumer) {
            ConsumerGroupHeartbeatResponseData response = context.heartbeat(
                ConsumerGroupTestContext.heartbeat(GROUP, consumer.memberId, -2, null).setInstanceId(consumer.instanceId));
            assertThat(response.errorCode()).isIn(Errors.NONE.code, Errors.UNKNOWN_MEMBER_ID.code, Errors.FENCED_INSTANCE_ID.code);
            consumer.reset();
            consumer.away = true;
        }

        private void handle(Consumer consumer, ConsumerGroupHeartbeatResponseData response) {
            Errors error = Errors.forCode(response.errorCode());
            switch (error) {
                case NONE -> accept(consumer, response);
                // The consumer lost its membership: it gives up its partitions and joins again.
                case FENCED_MEMBER_EPOCH, UNKNOWN_MEMBER_ID, FENCED_INSTANCE_ID -> consumer.reset();
                default -> throw new AssertionError("Unexpected " + error + ": " + response.errorMessage());
            }
        }

        private void accept(Consumer consumer, ConsumerGroupHeartbeatResponseData response) {
            consumer.epoch = response.memberEpoch();
            Assignment assignment = assignmentOf(response);
            if (assignment != null) {
                consumer.received = assignment;
                if (random.nextInt(3) != 0) {
                    applyReceived(consumer);
                }
            }
        }

        /** The consumer revokes what its last assignment dropped and starts on what it added. */
        private void applyReceived(Consumer consumer) {
            if (consumer.received != null) {
                consumer.owned = consumer.received;
                consumer.received = null;
            }
        }

        private void changeTopics() {
            String name = TOPIC_NAMES.get(random.nextInt(TOPIC_NAMES.size()));
            TopicsView.TopicInfo topic = context.topics().topic(name);
            int dice = random.nextInt(10);
            if (topic == null) {
                context.topic(name, 1 + random.nextInt(4));
            } else if (dice < 8) {
                context.topic(name, topic.partitionCount() + 1 + random.nextInt(2));
            } else {
                context.deleteTopic(name);
            }
        }

        /** Chaos over: every consumer that is not away heartbeats each second, applying assignments at once. */
        private void settle() {
            for (Consumer consumer : consumers) {
                if (consumer.away) {
                    consumer.newProcess();
                    consumer.away = false;
                }
            }
            for (int round = 0; round < 90; round++) {
                for (Consumer consumer : consumers) {
                    applyReceived(consumer);
                    if (consumer.joined) {
                        heartbeat(consumer, false);
                        applyReceived(consumer);
                    } else {
                        join(consumer);
                        applyReceived(consumer);
                    }
                    checkInvariants();
                }
                context.advance(1_000);
            }
        }

        private void checkInvariants() {
            ConsumerGroup group = context.group(GROUP);
            if (group == null) {
                return;
            }
            // SingleOwner
            Map<TopicPartition, String> owners = new HashMap<>();
            group.members().values().forEach(member -> {
                for (Assignment owned : List.of(member.assigned(), member.pendingRevocation())) {
                    forEach(owned, partition -> {
                        String other = owners.put(partition, member.memberId());
                        assertThat(other).as("SingleOwner: %s owned by %s and %s", partition, other, member.memberId()).isNull();
                    });
                }
            });
            // ClientsOwnOnlyTheirs
            for (Consumer consumer : consumers) {
                ConsumerGroupMember member = group.member(consumer.memberId);
                if (member != null && consumer.joined) {
                    forEach(consumer.owned, partition -> assertThat(owners.get(partition))
                        .as("ClientsOwnOnlyTheirs: %s consumes %s", consumer.memberId, partition)
                        .isEqualTo(consumer.memberId));
                    // OwnersMayCommit
                    forEach(consumer.owned, partition -> assertThat(group.offsetCommitError(consumer.memberId,
                            consumer.epoch, false, partition.topicId(), partition.partition()))
                        .as("OwnersMayCommit: %s at epoch %d commits %s", consumer.memberId, consumer.epoch, partition)
                        .isEqualTo(Errors.NONE));
                }
            }
            // MonotonicEpochs
            assertThat(group.groupEpoch()).as("MonotonicEpochs: group epoch").isGreaterThanOrEqualTo(lastGroupEpoch);
            assertThat(group.assignmentEpoch()).as("MonotonicEpochs: assignment epoch").isGreaterThanOrEqualTo(lastAssignmentEpoch);
            assertThat(group.assignmentEpoch()).isLessThanOrEqualTo(group.groupEpoch());
            lastGroupEpoch = group.groupEpoch();
            lastAssignmentEpoch = group.assignmentEpoch();
            group.members().values().forEach(member -> {
                if (member.memberEpoch() > 0) {
                    Integer last = lastEpochs.put(member.memberId(), member.memberEpoch());
                    assertThat(member.memberEpoch()).as("MonotonicEpochs: %s", member.memberId())
                        .isGreaterThanOrEqualTo(last == null ? 0 : last);
                    assertThat(member.memberEpoch()).isLessThanOrEqualTo(group.assignmentEpoch());
                }
            });
            // ValidTargets
            Map<TopicPartition, String> targeted = new HashMap<>();
            group.targetAssignments().forEach((memberId, target) -> forEach(target, partition -> {
                String other = targeted.put(partition, memberId);
                assertThat(other).as("ValidTargets: %s targeted at %s and %s", partition, other, memberId).isNull();
            }));
            if (group.groupEpoch() == group.assignmentEpoch()) {
                Map<Uuid, ConsumerGroupRecord.TopicMetadata> topics = group.subscriptionMetadata().values().stream()
                    .collect(Collectors.toMap(ConsumerGroupRecord.TopicMetadata::topicId, topic -> topic));
                group.targetAssignments().forEach((memberId, target) -> {
                    ConsumerGroupMember member = group.member(memberId);
                    assertThat(member).as("ValidTargets: target of a member that left: %s", memberId).isNotNull();
                    target.partitions().forEach((topicId, partitions) -> {
                        ConsumerGroupRecord.TopicMetadata topic = topics.get(topicId);
                        assertThat(topic).as("ValidTargets: %s targets unknown topic %s", memberId, topicId).isNotNull();
                        assertThat(subscribes(member, topic.name())).as("ValidTargets: %s subscribes to %s", memberId,
                            topic.name()).isTrue();
                        assertThat(partitions.last()).isLessThan(topic.partitionCount());
                    });
                });
            }
        }

        private void checkReplayRebuildsState() {
            ConsumerGroupManager replayed = context.replayedFromLog();
            ConsumerGroup live = context.group(GROUP);
            ConsumerGroup rebuilt = replayed.group(GROUP);
            assertThat(rebuilt == null ? null : rebuilt.snapshot()).as("ReplayRebuildsState")
                .isEqualTo(live == null ? null : live.snapshot());
            if (live != null) {
                for (ConsumerGroupMember member : live.members().values()) {
                    forEach(member.assigned(), partition -> assertThat(rebuilt.owner(partition.topicId(), partition.partition()))
                        .isEqualTo(live.owner(partition.topicId(), partition.partition())));
                }
            }
        }

        private void checkConverged() {
            ConsumerGroup group = context.group(GROUP);
            assertThat(group.state()).as("Converges: state").isEqualTo(ConsumerGroupState.STABLE);
            Set<String> live = new HashSet<>();
            for (Consumer consumer : consumers) {
                ConsumerGroupMember member = group.member(consumer.memberId);
                assertThat(member).as("Converges: %s is a member", consumer.memberId).isNotNull();
                assertThat(consumer.owned).as("Converges: %s owns its assignment", consumer.memberId)
                    .isEqualTo(member.assigned());
                live.add(consumer.memberId);
            }
            assertThat(group.members().keySet()).as("Converges: no stale members").isEqualTo(live);
            Map<TopicPartition, String> owners = new TreeMap<>();
            group.members().values().forEach(member -> forEach(member.assigned(), p -> owners.put(p, member.memberId())));
            Set<TopicPartition> expected = new HashSet<>();
            TopicsView topics = context.topics();
            for (String name : topics.topicNames()) {
                boolean subscribed = group.members().values().stream().anyMatch(member -> subscribes(member, name));
                if (subscribed) {
                    TopicsView.TopicInfo topic = topics.topic(name);
                    for (int partition = 0; partition < topic.partitionCount(); partition++) {
                        expected.add(new TopicPartition(topic.id(), partition));
                    }
                }
            }
            assertThat(owners.keySet()).as("Converges: every subscribed partition has one owner").isEqualTo(expected);
        }

        private static boolean subscribes(ConsumerGroupMember member, String topic) {
            return member.subscribedTopicNames().contains(topic)
                || (member.subscribedTopicRegex() != null && topic.matches(member.subscribedTopicRegex()));
        }

        private List<String> randomTopics() {
            List<String> topics = new ArrayList<>();
            for (String name : TOPIC_NAMES) {
                if (random.nextInt(3) == 0) {
                    topics.add(name);
                }
            }
            return topics.isEmpty() ? List.of("t0") : topics;
        }

        private static void forEach(Assignment assignment, java.util.function.Consumer<TopicPartition> action) {
            for (Map.Entry<Uuid, SortedSet<Integer>> entry : assignment.partitions().entrySet()) {
                for (Integer partition : entry.getValue()) {
                    action.accept(new TopicPartition(entry.getKey(), partition));
                }
            }
        }
    }
}
