package dev.borges.bench.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The figures of every round per broker, reduced to medians and a ratio (Borges / Kafka) per metric,
 * rendered as a console table, Markdown and JSON. Metrics whose name ends in {@code /s} are better
 * higher; all others (ms, MiB, CPU s/GiB) better lower. A median is taken over the rounds that
 * produced the metric; when some rounds did not (their workload failed), the cell says how many did,
 * and the failures are listed with their reasons. Not thread-safe.
 */
final class SideBySideResults {

    private final Map<String, List<Map<String, Double>>> runsByBroker = new LinkedHashMap<>();
    private final Map<String, List<Map<String, String>>> failuresByBroker = new LinkedHashMap<>();
    private final Map<String, String> runtimesByBroker = new LinkedHashMap<>();

    void add(String broker, RunFigures run) {
        runsByBroker.computeIfAbsent(broker, b -> new ArrayList<>()).add(run.figures());
        failuresByBroker.computeIfAbsent(broker, b -> new ArrayList<>()).add(run.failures());
    }

    /** The JDK {@code broker} ran on (its launcher chose it); the last one given counts. */
    void runtime(String broker, String jdk) {
        runtimesByBroker.put(broker, jdk);
    }

    /** {@code borges on JDK <x>, kafka on JDK <y>, load generator on JDK <z>}, for a results header. */
    String runtimes(String loadGeneratorJdk) {
        StringBuilder out = new StringBuilder();
        runtimesByBroker.forEach((broker, jdk) -> out.append(broker).append(" on JDK ").append(jdk).append(", "));
        return out.append("load generator on JDK ").append(loadGeneratorJdk).toString();
    }

    /** One line per failed step: {@code <broker> round <n> <step>: <reason>}; empty if everything completed. */
    List<String> failures() {
        List<String> lines = new ArrayList<>();
        failuresByBroker.forEach((broker, rounds) -> {
            for (int round = 0; round < rounds.size(); round++) {
                int number = round + 1;
                rounds.get(round).forEach((step, reason) -> lines.add(broker + " round " + number + " " + step + ": " + reason));
            }
        });
        return lines;
    }

    private Set<String> metrics() {
        Set<String> metrics = new LinkedHashSet<>();
        runsByBroker.values().forEach(runs -> runs.forEach(run -> metrics.addAll(run.keySet())));
        return metrics;
    }

    private List<Double> values(String broker, String metric) {
        return runsByBroker.getOrDefault(broker, List.of()).stream()
            .map(run -> run.get(metric)).filter(v -> v != null).sorted().toList();
    }

    private Double median(String broker, String metric) {
        List<Double> values = values(broker, metric);
        if (values.isEmpty()) {
            return null;
        }
        int n = values.size();
        return n % 2 == 1 ? values.get(n / 2) : (values.get(n / 2 - 1) + values.get(n / 2)) / 2;
    }

    private List<String[]> rows() {
        List<String[]> rows = new ArrayList<>();
        for (String metric : metrics()) {
            Double borges = median("borges", metric);
            Double kafka = median("kafka", metric);
            String ratio = borges != null && kafka != null && kafka != 0 ? format(borges / kafka) : "—";
            rows.add(new String[] {metric, metric.endsWith("/s") ? "higher" : "lower", cell("borges", metric, borges),
                cell("kafka", metric, kafka), ratio});
        }
        return rows;
    }

    /** The median, followed by {@code (k of n)} when only k of the broker's n rounds produced the metric. */
    private String cell(String broker, String metric, Double median) {
        int rounds = runsByBroker.getOrDefault(broker, List.of()).size();
        int produced = values(broker, metric).size();
        if (median == null && rounds > 0) {
            return "failed";
        }
        return produced < rounds ? format(median) + " (" + produced + " of " + rounds + ")" : format(median);
    }

    String table() {
        StringBuilder out = new StringBuilder(String.format("%-40s %-7s %16s %16s %8s%n", "metric", "better", "borges", "kafka", "ratio"));
        for (String[] row : rows()) {
            out.append(String.format("%-40s %-7s %16s %16s %8s%n", (Object[]) row));
        }
        List<String> failures = failures();
        if (!failures.isEmpty()) {
            out.append("\nfailed:\n");
            failures.forEach(line -> out.append("  ").append(line).append('\n'));
        }
        return out.toString();
    }

    String markdown(String header) {
        StringBuilder out = new StringBuilder(header).append("\n\n| metric | better | Borges (median) | Kafka (median) | Borges / Kafka |\n|---|---|---:|---:|---:|\n");
        for (String[] row : rows()) {
            out.append("| ").append(String.join(" | ", row)).append(" |\n");
        }
        List<String> failures = failures();
        if (!failures.isEmpty()) {
            out.append("\nFailed:\n\n");
            failures.forEach(line -> out.append("- ").append(line).append('\n'));
        }
        return out.toString();
    }

    String json(String header) {
        StringBuilder out = new StringBuilder("{\n  \"run\": ").append(quote(header)).append(",\n  \"runs\": {");
        String brokerSeparator = "\n";
        for (Map.Entry<String, List<Map<String, Double>>> broker : runsByBroker.entrySet()) {
            out.append(brokerSeparator).append("    ").append(quote(broker.getKey())).append(": [");
            String runSeparator = "\n";
            for (Map<String, Double> run : broker.getValue()) {
                out.append(runSeparator).append("      {");
                String separator = "";
                for (Map.Entry<String, Double> figure : run.entrySet()) {
                    out.append(separator).append(quote(figure.getKey())).append(": ").append(figure.getValue());
                    separator = ", ";
                }
                out.append('}');
                runSeparator = ",\n";
            }
            out.append("\n    ]");
            brokerSeparator = ",\n";
        }
        out.append("\n  },\n  \"failures\": [");
        String separator = "\n";
        for (String line : failures()) {
            out.append(separator).append("    ").append(quote(line));
            separator = ",\n";
        }
        return out.append("\n  ]\n}\n").toString();
    }

    /**
     * Writes {@code side-by-side-<date>-<hhmm>.json} and {@code .md} (local time of the run's end)
     * under {@code dir}; returns the Markdown path.
     */
    Path write(Path dir, String header) throws IOException {
        Files.createDirectories(dir);
        String stem = "side-by-side-" + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyy-MM-dd-HHmm", Locale.ROOT));
        Files.writeString(dir.resolve(stem + ".json"), json(header));
        Path markdown = dir.resolve(stem + ".md");
        Files.writeString(markdown, markdown(header));
        return markdown;
    }

    private static String format(Double value) {
        if (value == null) {
            return "—";
        }
        return String.format(Locale.ROOT, Math.abs(value) >= 100 ? "%,.0f" : "%.3g", value);
    }

    private static String quote(String text) {
        return '"' + text.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + '"';
    }
}
