package dev.borges.cli.group;

import dev.borges.cli.CliException;
import dev.borges.cli.ClientCommand;
import dev.borges.cli.client.KafkaConnection;
import dev.borges.cli.client.KafkaErrors;
import dev.borges.cli.consume.StartPosition;
import dev.borges.cli.output.Json;
import dev.borges.cli.output.Table;
import dev.borges.cli.output.Units;
import dev.borges.cli.topic.TopicLookup;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.TopicPartitionInfo;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.UnknownMemberIdException;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code borges group reset-offsets GROUP --to-...}: moves a group's committed offsets, so its
 * consumers re-read or skip records when they next start. As with Kafka's tool it only shows the
 * plan unless {@code --execute} is given, and a group must have no active members to be moved.
 */
@Command(name = "reset-offsets", sortOptions = false,
    description = {
        "Move a group's committed offsets (dry run unless --execute).",
        "",
        "To the beginning, the end, an offset, or a time. Shows the plan (current and new offset per partition) and changes nothing unless --execute is given."
            + " The group's consumers must be stopped first."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  borges group reset-offsets billing --to-earliest                 the plan for every partition it has read",
        "  borges group reset-offsets billing --topic orders --to-latest --execute",
        "  borges group reset-offsets billing --to-datetime 2025-01-31T12:00:00Z --execute"})
public final class GroupResetOffsetsCommand extends ClientCommand {
    @Parameters(paramLabel = "GROUP", description = "The consumer group to move.")
    private String group;

    @Option(names = {"-t", "--topic"}, paramLabel = "TOPIC",
        description = "Reset on all partitions of this topic (repeatable). Default: every partition the group has committed offsets for.")
    private List<String> topics = new ArrayList<>();

    @ArgGroup(exclusive = true, multiplicity = "1")
    private Target target;

    @Option(names = "--execute", description = "Apply the change. Without it, only the plan is shown.")
    private boolean execute;

    /** Exactly one target. */
    static final class Target {
        @Option(names = "--to-earliest", required = true, description = "To the first record still kept.")
        boolean earliest;

        @Option(names = "--to-latest", required = true, description = "To the end: skip everything written so far.")
        boolean latest;

        @Option(names = "--to-offset", required = true, paramLabel = "N",
            description = "To offset N in each partition (kept within the partition's start and end).")
        Long offset;

        @Option(names = "--to-datetime", required = true, paramLabel = "TIME",
            description = "To the first record at or after TIME: 2025-01-31T12:00:00Z, 2025-01-31T12:00 (local), 2025-01-31.")
        String datetime;
    }

    private long timestampMs;

    @Override
    protected void validate() {
        if (target.offset != null && target.offset < 0) {
            throw usage("--to-offset must be 0 or more, got " + target.offset);
        }
        if (target.datetime != null) {
            try {
                timestampMs = StartPosition.parseTime(target.datetime, ZoneId.systemDefault()).toEpochMilli();
            } catch (IllegalArgumentException e) {
                throw usage("--to-datetime expects a time like 2025-01-31T12:00:00Z or 2025-01-31, got '" + target.datetime + "'");
            }
        }
    }

    @Override
    protected int run(KafkaConnection connection) throws Exception {
        Admin admin = connection.admin();
        ConsumerGroupDescription description = describe(admin);
        boolean active = description != null && !description.members().isEmpty()
            && description.groupState() != GroupState.EMPTY && description.groupState() != GroupState.DEAD;
        Map<TopicPartition, OffsetAndMetadata> committed = await(admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata());
        List<TopicPartition> partitions = partitions(admin, committed);
        if (partitions.isEmpty()) {
            throw new CliException("consumer group '" + group + "' has no committed offsets to reset",
                "Name the topics to reset with --topic.");
        }
        Map<TopicPartition, Long> targets = targets(admin, partitions);
        if (execute && active) {
            throw new CliException("consumer group '" + group + "' is " + GroupLag.stateName(description.groupState()) + " with "
                + description.members().size() + " active member(s); stop its consumers before resetting offsets",
                "'borges group describe " + group + "' shows the members.");
        }
        if (execute) {
            Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>();
            targets.forEach((tp, offset) -> offsets.put(tp, new OffsetAndMetadata(offset)));
            try {
                admin.alterConsumerGroupOffsets(group, offsets).all().get();
            } catch (ExecutionException e) {
                if (KafkaErrors.unwrap(e) instanceof UnknownMemberIdException) {
                    throw new CliException("consumer group '" + group + "' became active; stop its consumers before resetting offsets");
                }
                throw KafkaErrors.toCli(e, options.timeout());
            }
        }
        report(committed, targets, active);
        return 0;
    }

    /** The group, or null if the brokers do not know it (offsets can still be set for a new group). */
    private ConsumerGroupDescription describe(Admin admin) throws InterruptedException {
        try {
            return admin.describeConsumerGroups(List.of(group)).describedGroups().get(group).get();
        } catch (ExecutionException e) {
            if (KafkaErrors.unwrap(e) instanceof GroupIdNotFoundException) {
                return null;
            }
            throw KafkaErrors.toCli(e, options.timeout());
        }
    }

    /** The partitions named with --topic, else those the group has committed offsets for; sorted. */
    private List<TopicPartition> partitions(Admin admin, Map<TopicPartition, OffsetAndMetadata> committed) throws InterruptedException {
        List<TopicPartition> partitions = new ArrayList<>();
        if (topics.isEmpty()) {
            partitions.addAll(committed.keySet());
        } else {
            for (TopicDescription topic : TopicLookup.describe(admin, topics, options.timeout()).values()) {
                for (TopicPartitionInfo info : topic.partitions()) {
                    partitions.add(new TopicPartition(topic.name(), info.partition()));
                }
            }
        }
        partitions.sort(Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition));
        return partitions;
    }

    private Map<TopicPartition, Long> targets(Admin admin, List<TopicPartition> partitions) throws InterruptedException {
        Map<TopicPartition, Long> earliest = offsets(admin, partitions, OffsetSpec.earliest());
        Map<TopicPartition, Long> latest = offsets(admin, partitions, OffsetSpec.latest());
        Map<TopicPartition, Long> atTime = target.datetime == null ? Map.of() : offsets(admin, partitions, OffsetSpec.forTimestamp(timestampMs));
        Map<TopicPartition, Long> targets = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            long first = earliest.get(tp);
            long end = latest.get(tp);
            long offset;
            if (target.earliest) {
                offset = first;
            } else if (target.latest) {
                offset = end;
            } else if (target.offset != null) {
                offset = Math.max(first, Math.min(end, target.offset));
            } else {
                long found = atTime.get(tp);
                offset = found < 0 ? end : found; // no record at or after the time: the end
            }
            targets.put(tp, offset);
        }
        return targets;
    }

    private Map<TopicPartition, Long> offsets(Admin admin, List<TopicPartition> partitions, OffsetSpec spec) throws InterruptedException {
        Map<TopicPartition, OffsetSpec> request = new LinkedHashMap<>();
        partitions.forEach(tp -> request.put(tp, spec));
        ListOffsetsResult result = admin.listOffsets(request);
        Map<TopicPartition, Long> offsets = new HashMap<>();
        for (TopicPartition tp : partitions) {
            offsets.put(tp, await(result.partitionResult(tp)).offset());
        }
        return offsets;
    }

    private void report(Map<TopicPartition, OffsetAndMetadata> committed, Map<TopicPartition, Long> targets, boolean active) {
        if (json()) {
            List<Map<String, Object>> partitions = new ArrayList<>();
            targets.forEach((tp, offset) -> {
                Map<String, Object> partition = new LinkedHashMap<>();
                partition.put("topic", tp.topic());
                partition.put("partition", tp.partition());
                partition.put("currentOffset", committed.containsKey(tp) ? committed.get(tp).offset() : null);
                partition.put("newOffset", offset);
                partitions.add(partition);
            });
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("group", group);
            document.put("executed", execute);
            document.put("partitions", partitions);
            Json.print(terminal(), document);
            return;
        }
        Table table = Table.of("TOPIC", "PARTITION>", "CURRENT>", "NEW>");
        targets.forEach((tp, offset) -> table.row(tp.topic(), tp.partition(),
            committed.containsKey(tp) ? Units.count(committed.get(tp).offset()) : null, Units.count(offset)));
        table.print(terminal());
        terminal().out().println();
        if (execute) {
            terminal().out().println("Reset the offsets of group " + group + " on " + targets.size()
                + (targets.size() == 1 ? " partition." : " partitions."));
        } else {
            terminal().out().println("Dry run: nothing changed. Add --execute to apply"
                + (active ? " (after stopping the group's consumers: it has active members)." : "."));
        }
    }
}
