package dev.borges.storage;

/**
 * A partition of a topic. Its log lives in a directory named {@code <topic>-<partition>} under a
 * log directory, as in Kafka; topic names may themselves contain '-', so the partition number is
 * what follows the last one.
 */
public record TopicPartition(String topic, int partition) {
    public TopicPartition {
        if (topic == null || topic.isEmpty()) {
            throw new IllegalArgumentException("A topic name is required");
        }
        if (partition < 0) {
            throw new IllegalArgumentException("Partition " + partition + " of " + topic + " is negative");
        }
    }

    public String directoryName() {
        return topic + "-" + partition;
    }

    /** The partition a log directory holds, from its name. */
    public static TopicPartition fromDirectoryName(String name) {
        int dash = name.lastIndexOf('-');
        if (dash <= 0 || dash == name.length() - 1) {
            throw new IllegalArgumentException("'" + name + "' is not a <topic>-<partition> directory name");
        }
        try {
            return new TopicPartition(name.substring(0, dash), Integer.parseInt(name.substring(dash + 1)));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("'" + name + "' is not a <topic>-<partition> directory name", e);
        }
    }

    @Override
    public String toString() {
        return directoryName();
    }
}
