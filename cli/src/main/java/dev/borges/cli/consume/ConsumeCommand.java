package dev.borges.cli.consume;

import dev.borges.cli.ClientCommand;
import dev.borges.cli.client.KafkaConnection;
import dev.borges.cli.output.Json;
import dev.borges.cli.output.Progress;
import dev.borges.cli.output.Terminal;
import dev.borges.cli.output.Units;
import dev.borges.cli.topic.TopicLookup;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.header.Header;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code borges consume TOPIC}: prints records as they arrive, until {@code -n} records, the end
 * ({@code -e}), or Ctrl-C.
 *
 * <p>Without {@code --group} it reads every partition (or those given with {@code -p}) by
 * assignment from {@code --from}, and commits nothing. With {@code --group} it joins the group,
 * starts where the group left off (a new group starts at {@code --from} beginning or end), and
 * commits the offsets of the records it printed, so the group's lag reflects what was read.
 *
 * <p>The main thread polls and prints; Ctrl-C (a shutdown hook) wakes it up, and it commits and
 * closes the consumer before the process exits. Output is flushed after each batch; when stdout is
 * closed (piped into {@code head}) the command stops.
 */
@Command(name = "consume", sortOptions = false,
    description = {
        "Read records from a topic and print them.",
        "",
        "Prints one record per line: the value by default, or as --format says, or as JSON lines"
            + " (--output json). Runs until -n records, the end (-e), or Ctrl-C.",
        "",
        "--format fields: %%t topic, %%p partition, %%o offset, %%T timestamp (epoch ms), %%k key, %%s value,"
            + " %%K key length, %%S value length, %%h headers (k=v,...), %%%% percent; escapes \\n \\t \\\\."
            + " A newline ends each record unless the format ends with \\n.",
        "",
        "JSON lines: {\"topic\", \"partition\", \"offset\", \"timestamp\", \"timestampType\", \"key\", \"value\","
            + " \"headers\": [{\"key\", \"value\"}]}; keys and values as UTF-8 text, null when absent."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  borges consume orders -e                 everything there is now, then stop",
        "  borges consume orders --from end         wait for new records (Ctrl-C stops)",
        "  borges consume orders --from -10 -e      the last 10 records of each partition",
        "  borges consume orders --from 2025-01-31T12:00:00Z -n 100",
        "  borges consume orders -e -f '%%p:%%o %%k => %%s\\n'",
        "  borges consume orders -e --output json | jq .value",
        "  borges consume orders -e --group billing   as group billing, committing"})
public final class ConsumeCommand extends ClientCommand {
    private static final Duration POLL = Duration.ofMillis(200);
    /** Where progress goes when it must not mix with records on the same terminal: nowhere. */
    private static final Terminal QUIET = new Terminal(java.io.InputStream.nullInputStream(),
        new java.io.PrintStream(java.io.OutputStream.nullOutputStream()), new java.io.PrintStream(java.io.OutputStream.nullOutputStream()),
        false, false, false, false);

    @Parameters(paramLabel = "TOPIC", description = "The topic to read.")
    private String topic;

    @Option(names = "--from", paramLabel = "WHERE", converter = StartPosition.Converter.class,
        description = "Where to start in each partition: beginning (default), end, an offset (42), the last N records (-N),"
            + " or a time (2025-01-31T12:00:00Z, 2025-01-31T12:00 local, 2025-01-31, @epochMillis)."
            + " With --group, only beginning or end, for a group without committed offsets.")
    private StartPosition from;

    @Option(names = {"-n", "--count"}, paramLabel = "N", description = "Stop after N records.")
    private Long count;

    @Option(names = {"-e", "--exit-at-end"}, description = "Stop at the end of every partition (as it was when reading started).")
    private boolean exitAtEnd;

    @Option(names = {"-p", "--partition"}, paramLabel = "N", split = ",",
        description = "Read only these partitions (repeatable or comma-separated). Not with --group.")
    private List<Integer> partitions = new ArrayList<>();

    @Option(names = {"-g", "--group"}, paramLabel = "GROUP", description = "Read as a member of this consumer group and commit what is printed.")
    private String group;

    @Option(names = {"-f", "--format"}, paramLabel = "TEMPLATE",
        description = "How to print each record (fields above). Default: '%%s' (the value).")
    private String format;

    private RecordFormat recordFormat;

    @Override
    protected void validate() {
        if (format != null && json()) {
            throw usage("--format and --output json do not go together; choose one");
        }
        try {
            recordFormat = RecordFormat.parse(format == null ? RecordFormat.DEFAULT : format);
        } catch (IllegalArgumentException e) {
            throw usage("invalid --format: " + e.getMessage());
        }
        if (count != null && count < 1) {
            throw usage("-n must be at least 1, got " + count);
        }
        if (group != null && !partitions.isEmpty()) {
            throw usage("--partition and --group do not go together: the group assigns the partitions");
        }
        if (group != null && from != null && !from.isBeginningOrEnd()) {
            throw usage("with --group, --from can only be beginning or end; to move a group use 'borges group reset-offsets'");
        }
        for (int partition : partitions) {
            if (partition < 0) {
                throw usage("--partition must be 0 or more, got " + partition);
            }
        }
    }

    @Override
    protected int run(KafkaConnection connection) throws Exception {
        int partitionCount = TopicLookup.describe(connection.admin(), topic, options.timeout()).partitions().size();
        for (int partition : partitions) {
            TopicLookup.requirePartition(topic, partitionCount, partition);
        }
        StartPosition start = from == null ? StartPosition.BEGINNING : from;
        Map<String, Object> settings = new HashMap<>();
        settings.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, start.kind() == StartPosition.Kind.END ? "latest" : "earliest");
        if (group != null) {
            settings.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        // Ctrl-C: wake the poll loop, and let it commit and close the consumer (leaving the group)
        // before the process exits.
        CountDownLatch closed = new CountDownLatch(1);
        java.util.concurrent.atomic.AtomicReference<Reader> running = new java.util.concurrent.atomic.AtomicReference<>();
        Thread hook = new Thread(() -> {
            Reader reader = running.get();
            if (reader != null) {
                reader.stop();
            }
            try {
                closed.await(options.timeout().toMillis() + 1000, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "consume-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        long read;
        try (KafkaConsumer<byte[], byte[]> consumer = connection.consumer(settings)) {
            Reader reader = new Reader(consumer);
            running.set(reader);
            if (group == null) {
                List<TopicPartition> assigned = new ArrayList<>();
                for (int p = 0; p < partitionCount; p++) {
                    if (partitions.isEmpty() || partitions.contains(p)) {
                        assigned.add(new TopicPartition(topic, p));
                    }
                }
                consumer.assign(assigned);
                seek(consumer, assigned, start);
                reader.assigned(assigned);
            } else {
                consumer.subscribe(List.of(topic), reader);
            }
            read = reader.readUntilDone();
        } finally {
            closed.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException e) {
                // already shutting down: the hook is waiting for us
            }
        }
        if (terminal().showsProgress()) {
            terminal().err().println("Read " + read + (read == 1 ? " record" : " records") + " from " + topic + ".");
        }
        return 0;
    }

    private void seek(KafkaConsumer<byte[], byte[]> consumer, List<TopicPartition> assigned, StartPosition start) {
        switch (start.kind()) {
            case BEGINNING -> consumer.seekToBeginning(assigned);
            case END -> consumer.seekToEnd(assigned);
            case OFFSET, FROM_END -> {
                Map<TopicPartition, Long> firsts = consumer.beginningOffsets(assigned);
                Map<TopicPartition, Long> ends = consumer.endOffsets(assigned);
                for (TopicPartition tp : assigned) {
                    long first = firsts.get(tp);
                    long end = ends.get(tp);
                    long wanted = start.kind() == StartPosition.Kind.OFFSET ? start.value() : end - start.value();
                    consumer.seek(tp, Math.max(first, Math.min(end, wanted)));
                }
            }
            case TIMESTAMP -> {
                Map<TopicPartition, Long> query = new HashMap<>();
                assigned.forEach(tp -> query.put(tp, start.value()));
                Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(query);
                Map<TopicPartition, Long> ends = consumer.endOffsets(assigned);
                for (TopicPartition tp : assigned) {
                    OffsetAndTimestamp at = found.get(tp);
                    consumer.seek(tp, at == null ? ends.get(tp) : at.offset());
                }
            }
            default -> throw new IllegalStateException("Unhandled start " + start);
        }
    }

    /**
     * The poll loop: prints, counts, tracks what to commit, and knows when it is done. Also the
     * group's rebalance listener, which records the end offsets of newly assigned partitions for
     * {@code -e}. Runs on the main thread (the consumer calls the listener from poll).
     */
    private final class Reader implements ConsumerRebalanceListener {
        private final KafkaConsumer<byte[], byte[]> consumer;
        private final Map<TopicPartition, Long> ends = new HashMap<>();
        private final Map<TopicPartition, OffsetAndMetadata> toCommit = new HashMap<>();
        /** Per partition, the first record a poll returned that was not printed (-n reached mid-batch). */
        private final Map<TopicPartition, Long> unprinted = new HashMap<>();
        private final List<TopicPartition> assignment = new ArrayList<>();
        private boolean hasAssignment;
        private volatile boolean interrupted;

        Reader(KafkaConsumer<byte[], byte[]> consumer) {
            this.consumer = consumer;
        }

        void assigned(Collection<TopicPartition> partitions) {
            assignment.addAll(partitions);
            if (exitAtEnd && !partitions.isEmpty()) {
                ends.putAll(consumer.endOffsets(partitions));
            }
            hasAssignment = true;
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
            assigned(partitions);
        }

        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            commit();
            assignment.removeAll(partitions);
            partitions.forEach(ends::remove);
        }

        /** From the shutdown hook: stop polling. */
        void stop() {
            interrupted = true;
            consumer.wakeup();
        }

        long readUntilDone() {
            long printed = 0;
            // Records going to a file or a pipe: show how many on stderr, if a person watches it.
            Progress progress = new Progress(terminal().outIsTerminal() ? QUIET : terminal());
            try {
                StringBuilder batch = new StringBuilder();
                while (!interrupted && !(exitAtEnd && atEnd())) {
                    ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL);
                    batch.setLength(0);
                    boolean enough = false;
                    for (ConsumerRecord<byte[], byte[]> record : inPartitionOrder(records)) {
                        TopicPartition tp = new TopicPartition(record.topic(), record.partition());
                        if (enough) {
                            unprinted.putIfAbsent(tp, record.offset());
                            continue;
                        }
                        print(record, batch);
                        toCommit.put(tp, new OffsetAndMetadata(record.offset() + 1));
                        printed++;
                        enough = count != null && printed >= count;
                    }
                    if (!batch.isEmpty()) {
                        terminal().out().print(batch);
                        terminal().out().flush();
                        if (terminal().out().checkError()) {
                            break; // stdout closed: nobody reads any more
                        }
                    }
                    commit();
                    progress.update("read " + Units.count(printed) + " records");
                    if (enough) {
                        break;
                    }
                }
            } catch (WakeupException e) {
                // Ctrl-C: commit what was printed, then the consumer closes
            } finally {
                progress.done();
            }
            try {
                commitPositions();
            } catch (WakeupException e) {
                commitPositions(); // the wake-up arrived after the last poll; it is used up now
            }
            return printed;
        }

        /**
         * The batch partition by partition in ascending order: the order in which fetches complete is
         * not the user's concern, and a stable order makes the output reproducible.
         */
        private List<ConsumerRecord<byte[], byte[]>> inPartitionOrder(ConsumerRecords<byte[], byte[]> records) {
            List<TopicPartition> partitions = new ArrayList<>(records.partitions());
            partitions.sort(java.util.Comparator.comparingInt(TopicPartition::partition));
            List<ConsumerRecord<byte[], byte[]>> ordered = new ArrayList<>(records.count());
            partitions.forEach(tp -> ordered.addAll(records.records(tp)));
            return ordered;
        }

        private boolean atEnd() {
            if (!hasAssignment) {
                return false;
            }
            for (TopicPartition tp : assignment) {
                Long end = ends.get(tp);
                if (end != null && consumer.position(tp) < end) {
                    return false;
                }
            }
            return true;
        }

        /**
         * On the way out, a group commits where it stands in every assigned partition, as Kafka's
         * auto-commit does: also in partitions where it printed nothing, so that its lag shows
         * what is left to read there. Records a poll returned but {@code -n} left unprinted are
         * not counted as read.
         */
        private void commitPositions() {
            if (group == null) {
                return;
            }
            for (TopicPartition tp : assignment) {
                if (!toCommit.containsKey(tp)) {
                    Long first = unprinted.get(tp);
                    toCommit.put(tp, new OffsetAndMetadata(first != null ? first : consumer.position(tp)));
                }
            }
            commit();
        }

        private void commit() {
            if (group != null && !toCommit.isEmpty()) {
                consumer.commitSync(toCommit);
                toCommit.clear();
            }
        }

        private void print(ConsumerRecord<byte[], byte[]> record, StringBuilder out) {
            if (json()) {
                out.append(Json.line(toJson(record))).append('\n');
            } else {
                recordFormat.format(record, out);
            }
        }
    }

    private static Map<String, Object> toJson(ConsumerRecord<byte[], byte[]> record) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("topic", record.topic());
        json.put("partition", record.partition());
        json.put("offset", record.offset());
        json.put("timestamp", record.timestamp());
        json.put("timestampType", record.timestampType().name);
        json.put("key", text(record.key()));
        json.put("value", text(record.value()));
        List<Map<String, String>> headers = new ArrayList<>();
        for (Header header : record.headers()) {
            Map<String, String> h = new LinkedHashMap<>();
            h.put("key", header.key());
            h.put("value", text(header.value()));
            headers.add(h);
        }
        json.put("headers", headers);
        return json;
    }

    private static String text(byte[] bytes) {
        return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
    }
}
