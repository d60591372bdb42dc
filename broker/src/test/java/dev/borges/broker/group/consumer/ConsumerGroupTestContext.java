package dev.borges.broker.group.consumer;

import dev.borges.broker.group.assignor.Assignment;
import dev.borges.protocol.message.ConsumerGroupHeartbeatRequestData;
import dev.borges.protocol.message.ConsumerGroupHeartbeatResponseData;
import dev.borges.protocol.types.Uuid;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A {@link ConsumerGroupManager} run the way the coordinator runtime will run it, for tests: each
 * operation's records go through the codec (key and value bytes) into a log and are replayed,
 * its timer changes go into a timer table, and {@link #advance} moves a fake clock, expiring due
 * timers in deadline order. Topics can be created, grown and deleted between operations.
 */
final class ConsumerGroupTestContext {
    static final ClientInfo CLIENT = new ClientInfo("client", "/127.0.0.1");

    final ConsumerGroupManager manager;
    final ConsumerGroupConfig config;
    final List<ConsumerGroupRecord> log = new ArrayList<>();
    final Map<String, TimerChange.Schedule> timers = new LinkedHashMap<>();
    private final Map<String, TopicsView.TopicInfo> topics = new LinkedHashMap<>();
    private long topicsVersion;
    private int nextTopicId = 1;
    private int nextMemberId = 1;
    long nowMs;
    ConsumerGroupResult<ConsumerGroupHeartbeatResponseData> lastResult;

    ConsumerGroupTestContext() {
        this(ConsumerGroupConfig.DEFAULTS);
    }

    ConsumerGroupTestContext(ConsumerGroupConfig config) {
        this.config = config;
        this.manager = new ConsumerGroupManager(config, () -> "generated-" + nextMemberId++);
    }

    /** Creates a topic (or changes its partition count), as the metadata image would. */
    Uuid topic(String name, int partitions) {
        TopicsView.TopicInfo existing = topics.get(name);
        Uuid id = existing != null ? existing.id() : new Uuid(0x5EED, nextTopicId++);
        topics.put(name, new TopicsView.TopicInfo(id, name, partitions));
        topicsVersion++;
        return id;
    }

    void deleteTopic(String name) {
        topics.remove(name);
        topicsVersion++;
    }

    Uuid topicId(String name) {
        return topics.get(name).id();
    }

    TopicsView topics() {
        return TopicsView.of(topicsVersion, List.copyOf(topics.values()));
    }

    ConsumerGroup group(String groupId) {
        return manager.group(groupId);
    }

    ConsumerGroupMember member(String groupId, String memberId) {
        return manager.group(groupId).member(memberId);
    }

    ConsumerGroupHeartbeatResponseData heartbeat(ConsumerGroupHeartbeatRequestData request) {
        return heartbeat(request, (short) 1);
    }

    ConsumerGroupHeartbeatResponseData heartbeat(ConsumerGroupHeartbeatRequestData request, short version) {
        lastResult = manager.heartbeat(request, version, CLIENT, nowMs, topics());
        apply(lastResult.records(), lastResult.timers());
        return lastResult.response();
    }

    /** Runs an operation's result as the runtime would: write (here: encode and decode), replay, then timers. */
    void apply(List<ConsumerGroupRecord> records, List<TimerChange> timerChanges) {
        for (ConsumerGroupRecord record : records) {
            byte[] value = ConsumerGroupRecordCodec.value(record);
            ConsumerGroupRecord stored = ConsumerGroupRecordCodec.decode(
                ByteBuffer.wrap(ConsumerGroupRecordCodec.key(record)), value == null ? null : ByteBuffer.wrap(value));
            log.add(stored);
            manager.replay(stored);
        }
        for (TimerChange change : timerChanges) {
            if (change instanceof TimerChange.Schedule schedule) {
                timers.put(schedule.timeout().key(), schedule);
            } else if (change instanceof TimerChange.Cancel cancel) {
                timers.remove(cancel.key());
            }
        }
    }

    /** Moves the clock, expiring each timer whose deadline is reached, earliest first. */
    void advance(long ms) {
        long until = nowMs + ms;
        while (true) {
            Optional<TimerChange.Schedule> due = timers.values().stream()
                .filter(timer -> timer.deadlineMs() <= until)
                .min(Comparator.comparingLong(TimerChange.Schedule::deadlineMs));
            if (due.isEmpty()) {
                break;
            }
            timers.remove(due.get().timeout().key());
            nowMs = Math.max(nowMs, due.get().deadlineMs());
            ConsumerGroupResult<Void> result = manager.expire(due.get().timeout(), nowMs, topics());
            apply(result.records(), result.timers());
        }
        nowMs = until;
    }

    /** A manager that replayed the whole log from scratch, as after a restart. */
    ConsumerGroupManager replayedFromLog() {
        ConsumerGroupManager replayed = new ConsumerGroupManager(config);
        log.forEach(replayed::replay);
        return replayed;
    }

    static ConsumerGroupHeartbeatRequestData join(String groupId, String memberId, String... topicNames) {
        return new ConsumerGroupHeartbeatRequestData()
            .setGroupId(groupId)
            .setMemberId(memberId)
            .setMemberEpoch(0)
            .setRebalanceTimeoutMs(300_000)
            .setSubscribedTopicNames(List.of(topicNames))
            .setTopicPartitions(List.of());
    }

    /** A heartbeat reporting the partitions the member owns. */
    static ConsumerGroupHeartbeatRequestData heartbeat(String groupId, String memberId, int epoch, Assignment owned) {
        return new ConsumerGroupHeartbeatRequestData()
            .setGroupId(groupId)
            .setMemberId(memberId)
            .setMemberEpoch(epoch)
            .setTopicPartitions(owned == null ? null : requestPartitions(owned));
    }

    static ConsumerGroupHeartbeatRequestData leave(String groupId, String memberId) {
        return new ConsumerGroupHeartbeatRequestData().setGroupId(groupId).setMemberId(memberId).setMemberEpoch(-1);
    }

    static List<ConsumerGroupHeartbeatRequestData.TopicPartitions> requestPartitions(Assignment owned) {
        List<ConsumerGroupHeartbeatRequestData.TopicPartitions> partitions = new ArrayList<>();
        owned.partitions().forEach((topicId, topicPartitions) -> partitions.add(
            new ConsumerGroupHeartbeatRequestData.TopicPartitions()
                .setTopicId(topicId)
                .setPartitions(new ArrayList<>(topicPartitions))));
        return partitions;
    }

    /** The partitions of a response's assignment, or null if the response carries none. */
    static Assignment assignmentOf(ConsumerGroupHeartbeatResponseData response) {
        if (response.assignment() == null) {
            return null;
        }
        Assignment.Builder builder = Assignment.builder();
        response.assignment().topicPartitions().forEach(topic -> builder.addAll(topic.topicId(), topic.partitions()));
        return builder.build();
    }

    /** An assignment of whole topics of this context: {@code of("a", 0, 1, "b", 2)}. */
    Assignment partitions(Object... topicsAndPartitions) {
        Assignment.Builder builder = Assignment.builder();
        Uuid current = null;
        for (Object item : topicsAndPartitions) {
            if (item instanceof String name) {
                current = topicId(name);
            } else {
                builder.add(current, (Integer) item);
            }
        }
        return builder.build();
    }
}
