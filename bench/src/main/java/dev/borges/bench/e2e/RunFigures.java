package dev.borges.bench.e2e;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What one round of one broker produced: the figures of everything that completed, and for each
 * step that did not ({@code startup} or a workload's name) the reason, in one line. A failed step
 * has no figures; the round goes on without it.
 */
record RunFigures(Map<String, Double> figures, Map<String, String> failures) {

    RunFigures {
        figures = Collections.unmodifiableMap(new LinkedHashMap<>(figures));
        failures = Collections.unmodifiableMap(new LinkedHashMap<>(failures));
    }
}
