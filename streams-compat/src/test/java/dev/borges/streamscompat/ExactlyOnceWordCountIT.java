package dev.borges.streamscompat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Kafka Streams' word count against Borges with {@code processing.guarantee=exactly_once_v2}: each
 * task's output, changelog and consumed offsets are committed in one transaction (transactional
 * producers, {@code sendOffsetsToTransaction}, {@code read_committed} reads).
 */
class ExactlyOnceWordCountIT extends WordCountCheck {
    @Override
    String processingGuarantee() {
        return "exactly_once_v2";
    }

    @Test
    @Timeout(180)
    void countsEveryWordExactlyWithExactlyOnceV2(@TempDir Path stateDir) throws Exception {
        countsEveryWordExactly(stateDir);
    }
}
