package dev.borges.metadata.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.borges.metadata.record.ConfigRecord;
import dev.borges.metadata.record.ConfigResource;
import dev.borges.metadata.record.MetadataRecord;
import dev.borges.metadata.record.PartitionChangeRecord;
import dev.borges.metadata.record.PartitionRecord;
import dev.borges.metadata.record.ProducerIdsRecord;
import dev.borges.metadata.record.RegisterBrokerRecord;
import dev.borges.metadata.record.RemoveTopicRecord;
import dev.borges.metadata.record.TopicRecord;
import dev.borges.protocol.types.Uuid;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class MetadataDeltaTest {
    private static final Uuid FOO = new Uuid(1, 1);
    private static final Uuid BAR = new Uuid(2, 2);

    private static MetadataImage replay(MetadataImage base, MetadataRecord... records) {
        MetadataDelta delta = new MetadataDelta(base);
        delta.replayAll(List.of(records));
        return delta.apply();
    }

    private static PartitionRecord partition(Uuid topic, int id, int leader) {
        return new PartitionRecord(topic, id, List.of(leader), List.of(leader), leader, 0, 0);
    }

    private static MetadataImage fooWithTwoPartitions() {
        return replay(MetadataImage.EMPTY, new TopicRecord("foo", FOO), partition(FOO, 0, 1), partition(FOO, 1, 1));
    }

    @Test
    void createsTopicWithPartitionsAndReportsThem() {
        MetadataDelta delta = new MetadataDelta(MetadataImage.EMPTY);
        delta.replayAll(List.of(new TopicRecord("foo", FOO), partition(FOO, 0, 1), partition(FOO, 1, 1)));
        MetadataImage image = delta.apply();

        TopicImage foo = image.topics().topic("foo");
        assertThat(foo.id()).isEqualTo(FOO);
        assertThat(image.topics().topic(FOO)).isSameAs(foo);
        assertThat(foo.partitionCount()).isEqualTo(2);
        assertThat(foo.partition(1).leader()).isEqualTo(1);

        MetadataChanges changes = delta.changes();
        assertThat(changes.createdTopics()).containsExactly(foo);
        assertThat(changes.createdPartitions()).extracting(PartitionChange::partitionId).containsExactly(0, 1);
        assertThat(changes.createdPartitions()).allMatch(PartitionChange::isCreated).allMatch(PartitionChange::leaderChanged);
        assertThat(changes.changedPartitions()).isEmpty();
        assertThat(changes.deletedTopics()).isEmpty();
    }

    @Test
    void rejectsSecondTopicWithTakenNameOrId() {
        MetadataImage image = fooWithTwoPartitions();
        assertThatThrownBy(() -> replay(image, new TopicRecord("foo", BAR)))
            .isInstanceOf(MetadataReplayException.class).hasMessageContaining("already exists");
        assertThatThrownBy(() -> replay(image, new TopicRecord("bar", FOO)))
            .isInstanceOf(MetadataReplayException.class).hasMessageContaining("already in use");
    }

    @Test
    void rejectsPartitionRecordsOfUnknownTopicOrPartition() {
        assertThatThrownBy(() -> replay(MetadataImage.EMPTY, partition(FOO, 0, 1)))
            .isInstanceOf(MetadataReplayException.class).hasMessageContaining("unknown topic");
        var change = new PartitionChangeRecord(FOO, 7, Optional.empty(), OptionalInt.of(2), Optional.empty());
        assertThatThrownBy(() -> replay(fooWithTwoPartitions(), change))
            .isInstanceOf(MetadataReplayException.class).hasMessageContaining("unknown partition 7");
        assertThatThrownBy(() -> replay(MetadataImage.EMPTY, new RemoveTopicRecord(FOO)))
            .isInstanceOf(MetadataReplayException.class);
    }

    @Test
    void addsPartitionsToExistingTopic() {
        MetadataDelta delta = new MetadataDelta(fooWithTwoPartitions());
        delta.replay(partition(FOO, 2, 1));
        assertThat(delta.apply().topics().topic("foo").partitionCount()).isEqualTo(3);
        assertThat(delta.changes().createdTopics()).isEmpty();
        assertThat(delta.changes().createdPartitions()).extracting(PartitionChange::partitionId).containsExactly(2);
    }

    @Test
    void partitionChangeRaisesEpochsAndIsReported() {
        MetadataImage base = fooWithTwoPartitions();
        MetadataDelta delta = new MetadataDelta(base);
        delta.replay(new PartitionChangeRecord(FOO, 0, Optional.of(List.of(1, 2)), OptionalInt.empty(), Optional.of(List.of(1, 2))));
        delta.replay(new PartitionChangeRecord(FOO, 1, Optional.empty(), OptionalInt.of(PartitionRecord.NO_LEADER), Optional.empty()));
        MetadataImage image = delta.apply();

        PartitionRegistration p0 = image.topics().topic("foo").partition(0);
        assertThat(p0.isr()).containsExactly(1, 2);
        assertThat(p0.leaderEpoch()).isZero();
        assertThat(p0.partitionEpoch()).isEqualTo(1);
        PartitionRegistration p1 = image.topics().topic("foo").partition(1);
        assertThat(p1.hasLeader()).isFalse();
        assertThat(p1.leaderEpoch()).isEqualTo(1);

        List<PartitionChange> changed = delta.changes().changedPartitions();
        assertThat(changed).hasSize(2);
        assertThat(changed.get(0).isrChanged()).isTrue();
        assertThat(changed.get(0).leaderChanged()).isFalse();
        assertThat(changed.get(0).replicasChanged()).isTrue();
        assertThat(changed.get(1).leaderChanged()).isTrue();
        assertThat(changed.get(1).isrChanged()).isFalse();
        assertThat(changed.get(1).before()).contains(base.topics().topic("foo").partition(1));
    }

    @Test
    void deletingTopicDropsItsConfigsAndIsReported() {
        MetadataImage base = replay(fooWithTwoPartitions(),
            new ConfigRecord(ConfigResource.topic("foo"), "retention.ms", "1000"));
        MetadataDelta delta = new MetadataDelta(base);
        delta.replay(new RemoveTopicRecord(FOO));
        MetadataImage image = delta.apply();

        assertThat(image.topics().topic("foo")).isNull();
        assertThat(image.topics().topic(FOO)).isNull();
        assertThat(image.configs().configs(ConfigResource.topic("foo"))).isEmpty();
        assertThat(delta.changes().deletedTopics()).containsExactly(base.topics().topic("foo"));
        assertThat(delta.changes().changedConfigs()).containsExactly(ConfigResource.topic("foo"));
        assertThat(image).isEqualTo(MetadataImage.EMPTY);
    }

    @Test
    void topicCreatedAndDeletedInOneDeltaLeavesNoTrace() {
        MetadataDelta delta = new MetadataDelta(MetadataImage.EMPTY);
        delta.replayAll(List.of(new TopicRecord("foo", FOO), partition(FOO, 0, 1), new RemoveTopicRecord(FOO)));
        assertThat(delta.apply()).isEqualTo(MetadataImage.EMPTY);
        assertThat(delta.changes().isEmpty()).isTrue();
    }

    @Test
    void topicRecreatedUnderSameNameShowsAsDeletedAndCreated() {
        MetadataDelta delta = new MetadataDelta(fooWithTwoPartitions());
        delta.replayAll(List.of(new RemoveTopicRecord(FOO), new TopicRecord("foo", BAR), partition(BAR, 0, 1)));
        MetadataImage image = delta.apply();
        assertThat(image.topics().topic("foo").id()).isEqualTo(BAR);
        assertThat(delta.changes().deletedTopics()).extracting(TopicImage::id).containsExactly(FOO);
        assertThat(delta.changes().createdTopics()).extracting(TopicImage::id).containsExactly(BAR);
    }

    @Test
    void setsAndDeletesConfigs() {
        ConfigResource broker = ConfigResource.broker(1);
        MetadataImage image = replay(MetadataImage.EMPTY,
            new ConfigRecord(broker, "log.retention.ms", "5"),
            new ConfigRecord(broker, "num.io.threads", "4"),
            new ConfigRecord(ConfigResource.brokerDefault(), "log.retention.ms", "7"));
        assertThat(image.configs().configs(broker)).containsOnly(
            java.util.Map.entry("log.retention.ms", "5"), java.util.Map.entry("num.io.threads", "4"));

        MetadataDelta delta = new MetadataDelta(image);
        delta.replay(new ConfigRecord(broker, "num.io.threads", null));
        delta.replay(new ConfigRecord(ConfigResource.brokerDefault(), "never.set", null));
        MetadataImage after = delta.apply();
        assertThat(after.configs().configs(broker)).containsOnlyKeys("log.retention.ms");
        assertThat(delta.changes().changedConfigs()).containsExactly(broker);

        MetadataImage cleared = replay(after, new ConfigRecord(broker, "log.retention.ms", null));
        assertThat(cleared.configs().resources()).containsOnlyKeys(ConfigResource.brokerDefault());
    }

    @Test
    void registersAndReregistersBrokers() {
        var endpoint = new RegisterBrokerRecord.Endpoint("PLAINTEXT", "localhost", 9092);
        MetadataImage image = replay(MetadataImage.EMPTY,
            new RegisterBrokerRecord(1, FOO, List.of(endpoint), Optional.empty()));
        assertThat(image.cluster().brokerIds()).containsExactly(1);
        assertThat(image.cluster().broker(1).endpoint("PLAINTEXT")).contains(endpoint);

        MetadataDelta delta = new MetadataDelta(image);
        delta.replay(new RegisterBrokerRecord(1, BAR, List.of(endpoint), Optional.of("rack-a")));
        delta.replay(new RegisterBrokerRecord(0, FOO, List.of(), Optional.empty()));
        MetadataImage after = delta.apply();
        assertThat(after.cluster().brokerIds()).containsExactly(0, 1);
        assertThat(after.cluster().broker(1).incarnationId()).isEqualTo(BAR);
        assertThat(delta.changes().changedBrokers()).containsExactlyInAnyOrder(0, 1);
    }

    @Test
    void producerIdsOnlyMoveForward() {
        MetadataDelta delta = new MetadataDelta(MetadataImage.EMPTY);
        delta.replay(new ProducerIdsRecord(1, 1000));
        delta.replay(new ProducerIdsRecord(1, 2000));
        MetadataImage image = delta.apply();
        assertThat(image.producerIds().nextProducerId()).isEqualTo(2000);
        assertThat(delta.changes().producerIds()).contains(new ProducerIdsImage(2000));
        assertThatThrownBy(() -> replay(image, new ProducerIdsRecord(1, 2000)))
            .isInstanceOf(MetadataReplayException.class).hasMessageContaining("not above");
    }

    @Test
    void imagesAreImmutableAndBaseIsUntouched() {
        MetadataImage base = fooWithTwoPartitions();
        MetadataImage after = replay(base, new RemoveTopicRecord(FOO));
        assertThat(base.topics().topic("foo")).isNotNull();
        assertThat(after.topics().size()).isZero();

        TopicImage foo = base.topics().topic("foo");
        assertThatThrownBy(() -> foo.partitions().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> foo.partition(0).isr().add(3)).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> base.topics().byName().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> base.topics().byId().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> base.cluster().brokers().clear()).isInstanceOf(UnsupportedOperationException.class);
        assertThatThrownBy(() -> base.configs().resources().clear()).isInstanceOf(UnsupportedOperationException.class);
    }

    @Test
    void emptyDeltaReturnsEqualImageAndNoChanges() {
        MetadataImage base = fooWithTwoPartitions();
        MetadataDelta delta = new MetadataDelta(base);
        assertThat(delta.apply()).isEqualTo(base);
        assertThat(delta.changes().isEmpty()).isTrue();
    }

    @Test
    void deltaFromEmptyShowsEverythingAsCreated() {
        MetadataImage image = replay(fooWithTwoPartitions(), new ProducerIdsRecord(1, 1000),
            new ConfigRecord(ConfigResource.topic("foo"), "cleanup.policy", "compact"));
        MetadataDelta delta = MetadataDelta.fromEmpty(image);
        assertThat(delta.apply()).isEqualTo(image);
        assertThat(delta.changes().createdTopics()).extracting(TopicImage::name).containsExactly("foo");
        assertThat(delta.changes().createdPartitions()).hasSize(2);
        assertThat(delta.changes().changedConfigs()).containsExactly(ConfigResource.topic("foo"));
    }
}
