package dev.borges.storage.producer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Producers are forgotten {@code producer.id.expiration.ms} after their last timestamp. */
class ProducerExpiryTest {
    private static final long EXPIRATION_MS = 60_000;

    @TempDir
    Path directory;

    private ProducerStateTestContext context;

    @BeforeEach
    void setUp() {
        context = new ProducerStateTestContext(directory, new ProducerStateConfig(EXPIRATION_MS));
    }

    @Test
    void keepsProducerUntilExpirationAndRemovesItOnceReached() {
        context.appendAsLeader(1L, 0, 0, 1);

        context.time.sleep(EXPIRATION_MS - 1);
        context.manager.removeExpiredProducers(context.time.milliseconds());
        assertThat(context.manager.lastEntry(1L)).isPresent();

        context.time.sleep(1);
        context.manager.removeExpiredProducers(context.time.milliseconds());
        assertThat(context.manager.lastEntry(1L)).isEmpty();
    }

    @Test
    void measuresExpiryFromTheLastBatchNotTheFirst() {
        context.appendAsLeader(1L, 0, 0, 1);
        context.time.sleep(EXPIRATION_MS / 2);
        context.appendAsLeader(1L, 0, 1, 1);
        context.time.sleep(EXPIRATION_MS / 2);

        context.manager.removeExpiredProducers(context.time.milliseconds());

        assertThat(context.manager.lastEntry(1L)).isPresent();
    }

    @Test
    void removesOnlyTheIdleProducers() {
        context.appendAsLeader(1L, 0, 0, 1);
        context.time.sleep(EXPIRATION_MS);
        context.appendAsLeader(2L, 0, 0, 1);

        context.manager.removeExpiredProducers(context.time.milliseconds());

        assertThat(context.manager.activeProducers()).containsOnlyKeys(2L);
    }

    @Test
    void expiredProducerResumesAtAnySequence() {
        context.appendAsLeader(1L, 0, 0, 5);
        context.time.sleep(EXPIRATION_MS);
        context.manager.removeExpiredProducers(context.time.milliseconds());

        assertThat(context.appendAsLeader(1L, 0, 9, 1).kind())
            .isEqualTo(ProducerStateTestContext.Outcome.Kind.APPENDED);
    }

    @Test
    void defaultsToKafkasOneDayAndRefusesNonPositiveExpiration() {
        assertThat(ProducerStateConfig.defaults().producerIdExpirationMs()).isEqualTo(86_400_000L);
        assertThatThrownBy(() -> new ProducerStateConfig(0)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining(ProducerStateConfig.PRODUCER_ID_EXPIRATION_MS);
    }
}
