package dev.borges.cli.produce;

import dev.borges.cli.CliException;
import dev.borges.cli.ClientCommand;
import dev.borges.cli.KeyValue;
import dev.borges.cli.client.KafkaConnection;
import dev.borges.cli.client.KafkaErrors;
import dev.borges.cli.output.Json;
import dev.borges.cli.output.Progress;
import dev.borges.cli.output.Units;
import dev.borges.cli.topic.TopicLookup;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code borges produce TOPIC}: one record per input line, from stdin or a file, then a count of
 * what the broker acknowledged. Records are sent asynchronously (batched by the producer) and the
 * command waits for every acknowledgement before it reports; a failure stops reading and the report
 * says how many records made it.
 *
 * <p>The topic must exist: a mistyped name is an error here, not a new topic.
 */
@Command(name = "produce", sortOptions = false,
    description = {
        "Write records to a topic, one per line of input.",
        "",
        "Reads stdin (or --file) and reports how many records were written. The topic must exist"
            + " (create it with 'borges topic create')."},
    footerHeading = "%nExamples:%n",
    footer = {
        "  echo 'hello' | borges produce greetings",
        "  printf 'order-1:{\"total\": 42}\\n' | borges produce orders -K:",
        "  borges produce orders --file orders.txt -H source=import --compression zstd",
        "  borges produce orders          type records, one per line; Ctrl-D to finish"})
public final class ProduceCommand extends ClientCommand {
    /** The producer's compression codecs. */
    enum Compression { NONE, GZIP, SNAPPY, LZ4, ZSTD }

    @Parameters(paramLabel = "TOPIC", description = "The topic to write to.")
    private String topic;

    @Option(names = {"-K", "--key-separator"}, paramLabel = "SEP",
        description = "Each line is KEY SEP VALUE, split at the first SEP (e.g. -K: or -K '\\t'). Without it records have no key.")
    private String keySeparator;

    @Option(names = {"-H", "--header"}, paramLabel = "KEY=VALUE", converter = KeyValue.Converter.class,
        description = "A header added to every record (repeatable).")
    private List<KeyValue> headers = new ArrayList<>();

    @Option(names = {"-p", "--partition"}, paramLabel = "N",
        description = "Write every record to this partition (default: by key, or spread when there is none).")
    private Integer partition;

    @Option(names = {"-f", "--file"}, paramLabel = "PATH", description = "Read lines from this file instead of stdin.")
    private Path file;

    @Option(names = "--compression", paramLabel = "CODEC", defaultValue = "none",
        description = "none, gzip, snappy, lz4 or zstd. Default: ${DEFAULT-VALUE}.")
    private Compression compression;

    @Option(names = "--acks", paramLabel = "0|1|all", defaultValue = "all",
        description = "Acknowledgements to wait for: all (every in-sync replica, default), 1 (the leader), 0 (none).")
    private String acks;

    @Override
    protected void validate() {
        if (!List.of("0", "1", "all", "-1").contains(acks)) {
            throw usage("--acks must be 0, 1 or all, got '" + acks + "'");
        }
        if (partition != null && partition < 0) {
            throw usage("--partition must be 0 or more, got " + partition);
        }
        if (keySeparator != null) {
            keySeparator = keySeparator.replace("\\t", "\t");
            if (keySeparator.isEmpty()) {
                throw usage("--key-separator must not be empty");
            }
        }
    }

    @Override
    protected int run(KafkaConnection connection) throws Exception {
        int partitions = TopicLookup.describe(connection.admin(), topic, options.timeout()).partitions().size();
        if (partition != null) {
            TopicLookup.requirePartition(topic, partitions, partition);
        }
        List<Header> recordHeaders = headers.stream()
            .<Header>map(h -> new RecordHeader(h.key(), h.value().getBytes(StandardCharsets.UTF_8))).toList();
        Map<String, Object> settings = new HashMap<>();
        settings.put(ProducerConfig.ACKS_CONFIG, acks);
        settings.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, compression.name().toLowerCase(Locale.ROOT));
        if (!acks.equals("all") && !acks.equals("-1")) {
            settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, false); // idempotence needs acks=all
        }
        if (terminal().interactiveInput() && file == null) {
            terminal().err().println("Type records, one per line" + (keySeparator == null ? "" : " as KEY" + keySeparator + "VALUE")
                + "; Ctrl-D to finish.");
        }

        AtomicLong acknowledged = new AtomicLong();
        AtomicReference<Exception> firstError = new AtomicReference<>();
        Map<Integer, Long> perPartition = new java.util.concurrent.ConcurrentSkipListMap<>();
        long sent = 0;
        String badLine = null;
        Progress progress = new Progress(terminal());
        try (BufferedReader reader = open(); KafkaProducer<byte[], byte[]> producer = connection.producer(settings)) {
            String line;
            long lineNumber = 0;
            while (firstError.get() == null && (line = reader.readLine()) != null) {
                lineNumber++;
                LineRecord record;
                try {
                    record = LineRecord.parse(line, keySeparator);
                } catch (IllegalArgumentException e) {
                    badLine = "line " + lineNumber + " " + e.getMessage();
                    break;
                }
                producer.send(new ProducerRecord<>(topic, partition, record.key(), record.value(), recordHeaders), (metadata, error) -> {
                    if (error != null) {
                        firstError.compareAndSet(null, error);
                    } else {
                        acknowledged.incrementAndGet();
                        perPartition.merge(metadata.partition(), 1L, Long::sum);
                    }
                });
                sent++;
                progress.update("sent " + Units.count(sent) + " records");
            }
            producer.flush();
        } catch (IOException e) {
            throw new CliException("cannot read " + (file == null ? "stdin" : file) + ": " + e.getMessage());
        } finally {
            progress.done();
        }
        long written = acknowledged.get();
        report(written, perPartition);
        if (firstError.get() != null) {
            throw new CliException("wrote " + written + " of " + sent + " records; the rest failed: "
                + KafkaErrors.toCli(firstError.get(), options.timeout()).getMessage());
        }
        if (badLine != null) {
            throw new CliException("stopped at " + badLine + " (records before it were written)",
                "Each line must look like KEY" + keySeparator + "VALUE with --key-separator.");
        }
        return 0;
    }

    private BufferedReader open() throws IOException {
        if (file == null) {
            return new BufferedReader(new InputStreamReader(terminal().in(), StandardCharsets.UTF_8));
        }
        try {
            return Files.newBufferedReader(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CliException("cannot read " + file + ": no such file");
        }
    }

    private void report(long written, Map<Integer, Long> perPartition) {
        if (json()) {
            Map<String, Object> document = new LinkedHashMap<>();
            document.put("topic", topic);
            document.put("records", written);
            Map<String, Long> partitions = new LinkedHashMap<>();
            perPartition.forEach((p, count) -> partitions.put(Integer.toString(p), count));
            document.put("partitions", partitions);
            Json.print(terminal(), document);
        } else {
            terminal().out().println("Wrote " + Units.count(written) + (written == 1 ? " record" : " records") + " to " + topic
                + (perPartition.size() > 1 ? " (" + perPartition.size() + " partitions)" : "") + ".");
        }
    }
}
