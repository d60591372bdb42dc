package dev.borges.bench.e2e;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one workload measured: named figures (the unit ends the name: {@code MB/s}, {@code ms},
 * {@code MiB}, {@code s/GiB}) and the record bytes it moved through the broker (written plus read),
 * which the harness divides the broker's CPU time by. Not thread-safe.
 */
final class Measurements {

    private final Map<String, Double> figures = new LinkedHashMap<>();
    private long bytesMoved;

    Measurements put(String metric, double value) {
        figures.put(metric, value);
        return this;
    }

    Measurements addBytesMoved(long bytes) {
        bytesMoved += bytes;
        return this;
    }

    Map<String, Double> figures() {
        return figures;
    }

    long bytesMoved() {
        return bytesMoved;
    }
}
