package dev.borges.streamscompat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Kafka Streams' word count against Borges with {@code processing.guarantee=at_least_once}. */
class WordCountIT extends WordCountCheck {
    @Override
    String processingGuarantee() {
        return "at_least_once";
    }

    @Test
    @Timeout(180)
    void countsEveryWordExactlyWithAtLeastOnce(@TempDir Path stateDir) throws Exception {
        countsEveryWordExactly(stateDir);
    }
}
