package dev.borges.broker.group;

import dev.borges.broker.group.consumer.TopicsView;
import dev.borges.metadata.image.MetadataImage;
import dev.borges.metadata.image.TopicImage;
import dev.borges.metadata.image.TopicsImage;
import dev.borges.protocol.types.Uuid;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.function.Supplier;

/**
 * The cluster's topics as consumer group operations see them ({@link TopicsView}), backed by the
 * broker's latest metadata image. A topic created, deleted or given more partitions shows in the
 * next view, so the next heartbeat of a group subscribed to it recomputes the group's assignment.
 *
 * <p>Each distinct {@link TopicsImage} gets one view and a new version number (the model caches
 * regex matches per version). Internal topics ({@code __consumer_offsets}, {@code __transaction_state})
 * are left out of {@link TopicsView#topicNames()}, so a regex subscription never matches them, as
 * a classic consumer's default {@code exclude.internal.topics=true} would; naming one still works.
 *
 * <p>Threading: thread-safe; every coordinator shard thread calls {@link #get()}.
 */
public final class MetadataTopicsViews implements Supplier<TopicsView> {
    private static final List<String> INTERNAL_TOPICS = List.of(GroupCoordinator.OFFSETS_TOPIC, "__transaction_state");

    private final Supplier<MetadataImage> image;
    private TopicsImage lastImage;
    private TopicsView lastView;
    private long version;

    public MetadataTopicsViews(Supplier<MetadataImage> image) {
        this.image = Objects.requireNonNull(image);
    }

    @Override
    public synchronized TopicsView get() {
        TopicsImage topics = image.get().topics();
        if (topics != lastImage) {
            lastImage = topics;
            lastView = new ImageView(topics, ++version);
        }
        return lastView;
    }

    /** One image's topics. Immutable, as the image is. */
    private static final class ImageView implements TopicsView {
        private final TopicsImage topics;
        private final long version;
        private final List<String> names;

        ImageView(TopicsImage topics, long version) {
            this.topics = topics;
            this.version = version;
            this.names = topics.byName().keySet().stream().filter(name -> !INTERNAL_TOPICS.contains(name)).toList();
        }

        @Override
        public TopicInfo topic(String name) {
            return info(topics.topic(name));
        }

        @Override
        public TopicInfo topic(Uuid id) {
            return info(topics.topic(id));
        }

        @Override
        public Collection<String> topicNames() {
            return names;
        }

        @Override
        public long version() {
            return version;
        }

        private static TopicInfo info(TopicImage topic) {
            return topic == null ? null : new TopicInfo(topic.id(), topic.name(), topic.partitionCount());
        }
    }
}
