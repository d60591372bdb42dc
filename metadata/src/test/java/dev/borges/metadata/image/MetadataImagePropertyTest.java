package dev.borges.metadata.image;

import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.metadata.record.ConfigRecord;
import dev.borges.metadata.record.ConfigResource;
import dev.borges.metadata.record.MetadataRecord;
import dev.borges.metadata.record.MetadataRecordSerde;
import dev.borges.metadata.record.PartitionChangeRecord;
import dev.borges.metadata.record.PartitionRecord;
import dev.borges.metadata.record.ProducerIdsRecord;
import dev.borges.metadata.record.RegisterBrokerRecord;
import dev.borges.metadata.record.RemoveTopicRecord;
import dev.borges.metadata.record.TopicRecord;
import dev.borges.protocol.types.Uuid;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

/**
 * Model-based test of replay. A seeded generator issues valid operations (create and delete topics,
 * add and change partitions, set and delete configs, register brokers, allocate producer ids) against
 * a plain model, and replays their records in batches. Named invariants, checked after every batch:
 * <ul>
 *   <li><b>ImageMatchesModel</b>: the image equals the model.</li>
 *   <li><b>ChangesMatchDiff</b>: a delta's created/deleted topics and changed configs are exactly the
 *       differences between its base and its result.</li>
 *   <li><b>SnapshotRebuildsImage</b>: replaying {@code image.toRecords()} onto the empty image
 *       gives the image back, also through the codec.</li>
 *   <li><b>BatchBoundariesDoNotMatter</b>: all records in one delta give the same final image.</li>
 * </ul>
 * A failure prints the seed; {@code @Property(seed = "...")} reproduces it.
 */
class MetadataImagePropertyTest {
    private static final List<String> NAMES = List.of("a", "b", "c.d", "c_d", "e");
    private static final List<String> KEYS = List.of("retention.ms", "cleanup.policy", "segment.bytes");

    @Property(tries = 300)
    void replayMatchesModel(@ForAll long seed) {
        Model model = new Model(new Random(seed));
        MetadataImage image = MetadataImage.EMPTY;
        List<MetadataRecord> all = new ArrayList<>();
        for (int batch = 0; batch < 12; batch++) {
            List<MetadataRecord> records = new ArrayList<>();
            int ops = 1 + model.random.nextInt(4);
            for (int i = 0; i < ops; i++) {
                model.step(records);
            }
            MetadataDelta delta = new MetadataDelta(image);
            delta.replayAll(records);
            MetadataImage next = delta.apply();

            assertThat(next).as("ImageMatchesModel").isEqualTo(model.toImage());
            checkChangesMatchDiff(image, next, delta.changes());
            all.addAll(records);
            image = next;
        }
        MetadataDelta rebuilt = new MetadataDelta(MetadataImage.EMPTY);
        rebuilt.replayAll(MetadataRecordSerde.decodeBatch(ByteBuffer.wrap(MetadataRecordSerde.encodeBatch(image.toRecords()))));
        assertThat(rebuilt.apply()).as("SnapshotRebuildsImage").isEqualTo(image);

        MetadataDelta oneBatch = new MetadataDelta(MetadataImage.EMPTY);
        oneBatch.replayAll(all);
        assertThat(oneBatch.apply()).as("BatchBoundariesDoNotMatter").isEqualTo(image);
    }

    private static void checkChangesMatchDiff(MetadataImage before, MetadataImage after, MetadataChanges changes) {
        Set<Uuid> created = new HashSet<>(after.topics().byId().keySet());
        created.removeAll(before.topics().byId().keySet());
        Set<Uuid> deleted = new HashSet<>(before.topics().byId().keySet());
        deleted.removeAll(after.topics().byId().keySet());
        assertThat(changes.createdTopics()).extracting(TopicImage::id).as("ChangesMatchDiff created")
            .containsExactlyInAnyOrderElementsOf(created);
        assertThat(changes.deletedTopics()).extracting(TopicImage::id).as("ChangesMatchDiff deleted")
            .containsExactlyInAnyOrderElementsOf(deleted);
        Set<ConfigResource> configs = new HashSet<>(before.configs().resources().keySet());
        configs.addAll(after.configs().resources().keySet());
        configs.removeIf(r -> before.configs().configs(r).equals(after.configs().configs(r)));
        assertThat(changes.changedConfigs()).as("ChangesMatchDiff configs").isEqualTo(configs);
        for (PartitionChange change : changes.changedPartitions()) {
            assertThat(after.topics().topic(change.topicId()).partition(change.partitionId())).isEqualTo(change.after());
            assertThat(change.before()).isNotEqualTo(Optional.of(change.after()));
        }
    }

    /** The expected state, in plain maps, and the generator of valid operations. */
    private static final class Model {
        final Random random;
        final Map<String, Uuid> topicIds = new HashMap<>();
        final Map<Uuid, TreeMap<Integer, PartitionRegistration>> partitions = new HashMap<>();
        final Map<ConfigResource, Map<String, String>> configs = new HashMap<>();
        final TreeMap<Integer, BrokerRegistration> brokers = new TreeMap<>();
        long nextProducerId;

        Model(Random random) {
            this.random = random;
        }

        void step(List<MetadataRecord> out) {
            switch (random.nextInt(8)) {
                case 0 -> createTopic(out);
                case 1 -> pickTopic().ifPresent(name -> {
                    Uuid id = topicIds.remove(name);
                    partitions.remove(id);
                    configs.remove(ConfigResource.topic(name));
                    out.add(new RemoveTopicRecord(id));
                });
                case 2 -> pickTopic().ifPresent(name -> {
                    Uuid id = topicIds.get(name);
                    int partitionId = partitions.get(id).size();
                    PartitionRecord record = new PartitionRecord(id, partitionId, List.of(1), List.of(1), 1, 0, 0);
                    partitions.get(id).put(partitionId, PartitionRegistration.fromRecord(record));
                    out.add(record);
                });
                case 3 -> pickTopic().ifPresent(name -> changePartition(topicIds.get(name), out));
                case 4, 5 -> changeConfig(out);
                case 6 -> {
                    var record = new RegisterBrokerRecord(random.nextInt(3), new Uuid(random.nextLong(), 1),
                        List.of(new RegisterBrokerRecord.Endpoint("PLAINTEXT", "localhost", random.nextInt(65536))),
                        random.nextBoolean() ? Optional.empty() : Optional.of("r" + random.nextInt(2)));
                    brokers.put(record.brokerId(), BrokerRegistration.fromRecord(record));
                    out.add(record);
                }
                default -> {
                    nextProducerId += 1000;
                    out.add(new ProducerIdsRecord(0, nextProducerId));
                }
            }
        }

        private void createTopic(List<MetadataRecord> out) {
            String name = NAMES.get(random.nextInt(NAMES.size()));
            if (topicIds.containsKey(name)) {
                return;
            }
            Uuid id = new Uuid(random.nextLong(), random.nextLong());
            topicIds.put(name, id);
            TreeMap<Integer, PartitionRegistration> parts = new TreeMap<>();
            partitions.put(id, parts);
            out.add(new TopicRecord(name, id));
            for (int p = 0, n = 1 + random.nextInt(3); p < n; p++) {
                PartitionRecord record = new PartitionRecord(id, p, List.of(0, 1), List.of(0, 1), 0, 0, 0);
                parts.put(p, PartitionRegistration.fromRecord(record));
                out.add(record);
            }
        }

        private void changePartition(Uuid id, List<MetadataRecord> out) {
            TreeMap<Integer, PartitionRegistration> parts = partitions.get(id);
            int partitionId = random.nextInt(parts.size());
            Optional<List<Integer>> isr = random.nextBoolean() ? Optional.empty() : Optional.of(List.of(random.nextInt(3)));
            OptionalInt leader = random.nextBoolean() ? OptionalInt.empty() : OptionalInt.of(random.nextInt(4) - 1);
            PartitionRegistration old = parts.get(partitionId);
            int newLeader = leader.orElse(old.leader());
            parts.put(partitionId, new PartitionRegistration(old.replicas(), isr.orElse(old.isr()), newLeader,
                newLeader != old.leader() ? old.leaderEpoch() + 1 : old.leaderEpoch(), old.partitionEpoch() + 1));
            out.add(new PartitionChangeRecord(id, partitionId, isr, leader, Optional.empty()));
        }

        private void changeConfig(List<MetadataRecord> out) {
            ConfigResource resource;
            if (random.nextBoolean()) {
                Optional<String> topic = pickTopic();
                if (topic.isEmpty()) {
                    return;
                }
                resource = ConfigResource.topic(topic.get());
            } else {
                resource = random.nextBoolean() ? ConfigResource.brokerDefault() : ConfigResource.broker(random.nextInt(2));
            }
            String key = KEYS.get(random.nextInt(KEYS.size()));
            String value = random.nextInt(3) == 0 ? null : Integer.toString(random.nextInt(100));
            Map<String, String> values = configs.computeIfAbsent(resource, r -> new HashMap<>());
            if (value == null) {
                values.remove(key);
            } else {
                values.put(key, value);
            }
            if (values.isEmpty()) {
                configs.remove(resource);
            }
            out.add(new ConfigRecord(resource, key, value));
        }

        private Optional<String> pickTopic() {
            if (topicIds.isEmpty()) {
                return Optional.empty();
            }
            List<String> names = new ArrayList<>(new TreeMap<>(topicIds).keySet());
            return Optional.of(names.get(random.nextInt(names.size())));
        }

        MetadataImage toImage() {
            Map<Uuid, TopicImage> byId = new HashMap<>();
            Map<String, TopicImage> byName = new HashMap<>();
            topicIds.forEach((name, id) -> {
                TopicImage topic = new TopicImage(name, id, partitions.get(id));
                byId.put(id, topic);
                byName.put(name, topic);
            });
            return new MetadataImage(new TopicsImage(byId, byName), new ConfigsImage(configs), new ClusterImage(brokers),
                new ProducerIdsImage(nextProducerId));
        }
    }
}
