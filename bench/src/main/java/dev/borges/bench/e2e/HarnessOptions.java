package dev.borges.bench.e2e;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The harness's settings, from the command line ({@code --key value}); the defaults make a full
 * side-by-side run of 3 rounds take about 11 minutes on a 2-core machine (with the quiet waits);
 * {@code --smoke} shrinks every workload to a few seconds, runs Borges only and does not wait.
 *
 * @param brokers             which brokers to run, in the order each round alternates them
 * @param rounds              rounds; each runs every broker once, with a fresh process and data dir
 * @param produceRecords      1 KiB records per produce variant (the consume workload reads the default variant's)
 * @param latencyBytesPerSecond rate of the latency workload
 * @param latencyDuration     how long the latency workload sends (including warm-up)
 * @param latencyWarmUp       leading part of the latency run not counted
 * @param partitions          partitions of the partitions workload
 * @param recordsPerPartition 1 KiB records per partition in the partitions workload
 * @param rebalanceJoins      how many times the rebalance workload has a fourth member join
 * @param warmUpRecords       1 KiB records each broker first takes, unmeasured, per warm-up step (0: no warm-up)
 * @param workloadNames       which workloads to run, by name, in the order of {@link #workloads()}
 * @param workloadTimeLimit   how long one workload may take before it is recorded as failed
 * @param borgesLauncher      the {@code bin/borges} launcher that starts Borges as users do
 * @param kafkaLibDir         Apache Kafka's jars
 * @param resultsDir          where the JSON and Markdown results go
 * @param quietSeconds        before each broker starts, how many consecutive quiet seconds to wait for
 *                            ({@link QuietMachine}; 0: start at once)
 * @param jvmLogDir           if not null, each broker process logs its GCs and safepoints to
 *                            {@code <broker>-round<n>-jvm.log} there (diagnostic; see {@link BrokerProcess#logJvmTo})
 */
record HarnessOptions(List<String> brokers, int rounds, long produceRecords, double latencyBytesPerSecond,
                      Duration latencyDuration, Duration latencyWarmUp, int partitions, int recordsPerPartition,
                      int rebalanceJoins, long warmUpRecords, List<String> workloadNames, Duration workloadTimeLimit, Path borgesLauncher, Path kafkaLibDir, Path resultsDir,
                      int quietSeconds, Path jvmLogDir) {

    static HarnessOptions parse(String[] args) {
        boolean smoke = List.of(args).contains("--smoke");
        List<String> brokers = smoke ? List.of("borges") : List.of("borges", "kafka");
        int rounds = smoke ? 1 : 3;
        long produceRecords = smoke ? 5_000 : 524_288;
        double latencyRate = smoke ? 1e6 : 5e6;
        Duration latencyDuration = Duration.ofSeconds(smoke ? 3 : 20);
        Duration latencyWarmUp = Duration.ofSeconds(smoke ? 1 : 5);
        int partitions = smoke ? 50 : 1_000;
        int recordsPerPartition = smoke ? 10 : 100;
        int rebalanceJoins = smoke ? 2 : 10;
        long warmUpRecords = smoke ? 1_000 : 131_072;
        List<String> workloadNames = ALL_WORKLOADS;
        Duration workloadTimeLimit = Duration.ofSeconds(smoke ? 60 : 240);
        Path launcher = Path.of(System.getProperty("borges.launcher", "bin/borges"));
        Path kafkaLib = Path.of("bench/target/kafka-lib");
        Path results = Path.of("bench/results");
        Path jvmLogs = null;
        int quietSeconds = smoke ? 0 : 5;
        for (int i = 0; i < args.length; i++) {
            String key = args[i];
            if (key.equals("--smoke")) {
                continue;
            }
            if (i + 1 >= args.length) {
                throw new IllegalArgumentException(key + " needs a value");
            }
            String value = args[++i];
            switch (key) {
                case "--brokers" -> brokers = List.of(value.split(","));
                case "--rounds" -> rounds = Integer.parseInt(value);
                case "--produce-records" -> produceRecords = Long.parseLong(value);
                case "--latency-mb-per-s" -> latencyRate = Double.parseDouble(value) * 1e6;
                case "--latency-seconds" -> latencyDuration = Duration.ofSeconds(Long.parseLong(value));
                case "--partitions" -> partitions = Integer.parseInt(value);
                case "--records-per-partition" -> recordsPerPartition = Integer.parseInt(value);
                case "--rebalance-joins" -> rebalanceJoins = Integer.parseInt(value);
                case "--warm-up-records" -> warmUpRecords = Long.parseLong(value);
                case "--workloads" -> workloadNames = List.of(value.split(","));
                case "--workload-time-limit-seconds" -> workloadTimeLimit = Duration.ofSeconds(Long.parseLong(value));
                case "--borges-launcher" -> launcher = Path.of(value);
                case "--kafka-lib" -> kafkaLib = Path.of(value);
                case "--results" -> results = Path.of(value);
                case "--jvm-logs" -> jvmLogs = Path.of(value);
                case "--quiet-seconds" -> quietSeconds = Integer.parseInt(value);
                default -> throw new IllegalArgumentException("Unknown option " + key + "; see bench/README.md");
            }
        }
        if (latencyWarmUp.compareTo(latencyDuration) >= 0) {
            latencyWarmUp = latencyDuration.dividedBy(4);
        }
        for (String name : workloadNames) {
            if (!ALL_WORKLOADS.contains(name)) {
                throw new IllegalArgumentException("Unknown workload " + name + "; known: " + String.join(",", ALL_WORKLOADS));
            }
        }
        return new HarnessOptions(brokers, rounds, produceRecords, latencyRate, latencyDuration, latencyWarmUp,
            partitions, recordsPerPartition, rebalanceJoins, warmUpRecords, workloadNames, workloadTimeLimit, launcher, kafkaLib, results, quietSeconds, jvmLogs);
    }

    /**
     * Every workload's name, in the order a round runs them ({@code consume} and
     * {@code group-consume} read what {@code produce} wrote).
     */
    static final List<String> ALL_WORKLOADS = List.of("produce", "consume", "group-consume", "produce-tuned", "latency",
        "rebalance", "partitions");

    /** Members of the {@code group consume} group. */
    static final int GROUP_CONSUME_MEMBERS = 3;

    /**
     * The selected workloads of one broker run, in order; consume and group-consume read what
     * {@code produce} wrote, so selecting either without it reads an empty topic and fails.
     */
    List<Workload> workloads() {
        return workloadNames.stream().sorted(java.util.Comparator.comparingInt(ALL_WORKLOADS::indexOf)).map(this::workload).toList();
    }

    /**
     * The unmeasured load each broker takes after it started and before the measured workloads:
     * both producer variants, a consumer and a consumer group, {@code warmUpRecords} each, on topics
     * (and a group) of their own. It warms both JITs, the broker's and the load generator's (which
     * otherwise handicaps whichever broker runs first), the same way for every broker, and has the
     * broker create {@code __consumer_offsets}. Empty with no warm-up.
     */
    List<Workload> warmUp() {
        if (warmUpRecords == 0) {
            return List.of();
        }
        return List.of(
            new ProduceWorkload("warm-up produce", "warm-up", warmUpRecords, java.util.Map.of()),
            new ConsumeWorkload("warm-up consume", "warm-up", ProduceWorkload.PARTITIONS, warmUpRecords),
            new GroupConsumeWorkload("warm-up group consume", "warm-up", "warm-up", ProduceWorkload.PARTITIONS, warmUpRecords,
                GROUP_CONSUME_MEMBERS),
            new ProduceWorkload("warm-up produce tuned", "warm-up-tuned", warmUpRecords, TUNED_PRODUCER));
    }

    /** The {@code produce tuned} producer's settings: larger batches, a linger, lz4. */
    private static final java.util.Map<String, Object> TUNED_PRODUCER = java.util.Map.of(
        "linger.ms", 5, "batch.size", 262_144, "compression.type", "lz4");

    private Workload workload(String name) {
        return switch (name) {
            case "produce" -> new ProduceWorkload("produce", "produce", produceRecords, java.util.Map.of());
            case "consume" -> new ConsumeWorkload("consume", "produce", ProduceWorkload.PARTITIONS, produceRecords);
            case "group-consume" -> new GroupConsumeWorkload("group consume", "produce", "group-consume", ProduceWorkload.PARTITIONS,
                produceRecords, GROUP_CONSUME_MEMBERS);
            case "produce-tuned" -> new ProduceWorkload("produce tuned", "produce-tuned", produceRecords, TUNED_PRODUCER);
            case "latency" -> new LatencyWorkload(latencyBytesPerSecond, latencyDuration, latencyWarmUp);
            case "rebalance" -> new RebalanceWorkload(rebalanceJoins);
            case "partitions" -> new PartitionsWorkload(partitions, recordsPerPartition);
            default -> throw new IllegalArgumentException("Unknown workload " + name);
        };
    }
}
