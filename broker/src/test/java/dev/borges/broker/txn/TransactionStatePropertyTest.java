package dev.borges.broker.txn;

import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.protocol.Errors;
import dev.borges.storage.TopicPartition;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/**
 * Named invariants of the transaction state machine over random sequences of requests from two
 * producers of the same transactional id (a live one and a zombie), timeouts, and markers that
 * are written late, out of order, or twice:
 * <ul>
 *   <li>{@code ReplayEqualsLive}: after every step, a shard rebuilt from the log alone holds the
 *       same state.</li>
 *   <li>{@code MonotonicEpoch}: a producer id's epoch never goes down.</li>
 *   <li>{@code MarkersMatchTheDecision}: markers are handed on only for a transaction just decided,
 *       saying what was decided (commit or abort), with its producer id, epoch and partitions; a
 *       shard reloaded while a transaction is decided hands on the same markers again, and no
 *       others.</li>
 *   <li>{@code NoStartWhilePreparing}: nothing is added to a transaction whose markers are not
 *       written yet.</li>
 * </ul>
 * A failing case names its seed; jqwik replays it first on the next run.
 */
class TransactionStatePropertyTest {
    private static final String ID = "prop";
    private static final List<TopicPartition> PARTITIONS = List.of(new TopicPartition("a", 0), new TopicPartition("a", 1),
        new TopicPartition("b", 0));

    @Provide
    Arbitrary<Long> seeds() {
        return Arbitraries.longs();
    }

    @Property(tries = 200)
    void theStateMachineKeepsItsInvariants(@ForAll("seeds") long seed) {
        Random random = new Random(seed);
        TxnShardTestContext ctx = new TxnShardTestContext(TxnConfig.defaults());
        long[] nextProducerId = {100};
        short[] liveEpoch = {-1};
        short[] zombieEpoch = {-1};
        long[] producerId = {-1};
        List<TxnMarkers> pending = new ArrayList<>();
        Map<Long, Short> highestEpoch = new HashMap<>();

        for (int step = 0; step < 60; step++) {
            pending.addAll(ctx.markers);
            ctx.markers.clear();
            int action = random.nextInt(8);
            boolean zombie = random.nextInt(4) == 0;
            short epoch = zombie ? zombieEpoch[0] : liveEpoch[0];
            switch (action) {
                case 0 -> {
                    TransactionCoordinatorShard.InitResult result = ctx.run(shard -> shard.initProducerId(ID, 60_000, -1, (short) -1, -1,
                        ctx.now()));
                    if (result.needsProducerId()) {
                        result = ctx.run(shard -> shard.initProducerId(ID, 60_000, -1, (short) -1, nextProducerId[0]++, ctx.now()));
                    }
                    if (result.error() == Errors.NONE) {
                        zombieEpoch[0] = liveEpoch[0];
                        liveEpoch[0] = result.producerEpoch();
                        producerId[0] = result.producerId();
                    }
                }
                case 1, 2 -> {
                    List<TopicPartition> added = List.of(PARTITIONS.get(random.nextInt(PARTITIONS.size())));
                    boolean preparing = ctx.shard.describe(ID).map(m -> m.state().isPreparing()).orElse(false);
                    Errors error = ctx.run(shard -> shard.addPartitions(ID, producerId[0], epoch, added, ctx.now()));
                    assertThat(preparing && error == Errors.NONE).as("NoStartWhilePreparing (seed %d)", seed).isFalse();
                }
                case 3 -> ctx.run(shard -> shard.endTransaction(ID, producerId[0], epoch, random.nextBoolean(), ctx.now()));
                case 4, 5 -> {
                    if (!pending.isEmpty()) {
                        TxnMarkers done = pending.remove(random.nextInt(pending.size()));
                        ctx.run(shard -> shard.completeTransaction(done, ctx.now()));
                        if (random.nextBoolean()) {
                            ctx.run(shard -> shard.completeTransaction(done, ctx.now())); // written twice
                        }
                    }
                }
                case 6 -> ctx.advance(random.nextInt(70_000));
                default -> {
                    TxnShardTestContext reloaded = ctx.reload();
                    reloaded.advance(0);
                    assertThat(reloaded.state()).as("ReplayEqualsLive after a reload (seed %d)", seed).isEqualTo(ctx.state());
                    List<TxnMarkers> expected = ctx.shard.describe(ID).filter(m -> m.state().isPreparing())
                        .map(m -> List.of(decided(m))).orElse(List.of());
                    assertThat(reloaded.markers).as("MarkersMatchTheDecision after a reload (seed %d)", seed).isEqualTo(expected);
                }
            }
            for (TxnMarkers markers : ctx.markers) {
                TransactionMetadata now = ctx.shard.describe(ID).orElseThrow();
                assertThat(now.state().isPreparing()).as("MarkersMatchTheDecision: %s decided (seed %d)", now, seed).isTrue();
                assertThat(markers).as("MarkersMatchTheDecision (seed %d)", seed).isEqualTo(decided(now));
            }
            ctx.shard.describe(ID).ifPresent(metadata -> {
                Short before = highestEpoch.put(metadata.producerId(), metadata.producerEpoch());
                assertThat(before == null || before <= metadata.producerEpoch()).as("MonotonicEpoch (seed %d)", seed).isTrue();
                if (metadata.state().isPreparing()) {
                    assertThat(metadata.partitions()).as("a decided transaction keeps its partitions (seed %d)", seed).isNotEmpty();
                }
            });
            assertThat(ctx.reload().state()).as("ReplayEqualsLive at step %d (seed %d)", step, seed).isEqualTo(ctx.state());
        }
    }

    private static TxnMarkers decided(TransactionMetadata metadata) {
        return new TxnMarkers(ID, 0, TxnShardTestContext.COORDINATOR_EPOCH, metadata.producerId(), metadata.producerEpoch(),
            metadata.state() == TransactionState.PREPARE_COMMIT, metadata.partitions());
    }
}
