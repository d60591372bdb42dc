package dev.borges.bench.e2e;

/**
 * One load the harness puts on a broker through kafka-clients, run in the harness's JVM against a
 * broker process that is already serving.
 */
interface Workload {

    /** Short name, used as the prefix of the metrics it reports. */
    String name();

    /** Runs the load against {@code bootstrap} and reports what it measured. */
    Measurements run(String bootstrap) throws Exception;
}
