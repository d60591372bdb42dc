package dev.borges.bench.e2e;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code rebalance}: how long a consumer group takes to hand out partitions again after a member
 * joins. Three members (see {@link Clients#groupConsumer}: classic protocol, default assignors, so
 * an eager {@code range} rebalance; heartbeats every 100 ms) share a 6-partition topic and are left
 * to settle (unmeasured). Then, {@code joins} times: a fourth member subscribes and polls; the
 * clock runs from just before its subscribe to the moment the last of the four receives its new
 * assignment ({@code onPartitionsAssigned}) and the four together own all 6 partitions exactly
 * once. The fourth member then closes (LeaveGroup) and the three settle again, unmeasured, before
 * the next join. Members poll every 50 ms, so a member waits at most that long to act on a
 * rebalance it learned of from a heartbeat. Reports the median, p90 and max join time in ms, and
 * the median time from the moment the last of the three existing members started rejoining (its
 * {@code onPartitionsRevoked}, which the eager protocol calls just before JoinGroup) to the same
 * end: the join phase's end, SyncGroup and the answers, without the wait for a heartbeat.
 *
 * <p>What the figure holds: the joiner's FindCoordinator and JoinGroup (twice: the first is answered
 * with the member id to use), the others noticing the rebalance through a heartbeat (up to
 * 100 ms) and committing their offsets before rejoining, the join phase ending when all four are
 * in, the leader's assignment in SyncGroup, and every member's SyncGroup answer. The joiner starts
 * right after the previous rebalance settled, when the existing members have just heard from the
 * coordinator, so their next heartbeat is up to 100 ms away (close to it in practice): the join
 * figure is about 100 ms plus the rest, for both brokers, and the rejoin figure is the part in
 * which the broker's speed shows.
 */
final class RebalanceWorkload implements Workload {

    private static final String TOPIC = "rebalance";
    private static final String GROUP = "rebalance";
    private static final int PARTITIONS = 6;
    private static final int STABLE_MEMBERS = 3;
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(50);
    private static final Duration SETTLE_TIMEOUT = Duration.ofSeconds(60);

    private final int joins;

    RebalanceWorkload(int joins) {
        this.joins = joins;
    }

    @Override
    public String name() {
        return "rebalance";
    }

    @Override
    public Measurements run(String bootstrap) throws Exception {
        Clients.createTopic(bootstrap, TOPIC, PARTITIONS);
        Clients.awaitGroupCoordinator(bootstrap, GROUP);
        GroupAssignments assignments = new GroupAssignments();
        List<GroupMember> stable = new ArrayList<>();
        Set<String> stableNames = new LinkedHashSet<>();
        double[] joinMillis = new double[joins];
        double[] rejoinMillis = new double[joins];
        try {
            long formed = System.nanoTime();
            for (int i = 0; i < STABLE_MEMBERS; i++) {
                GroupMember member = member("member-" + i, bootstrap, assignments);
                stable.add(member);
                stableNames.add(member.name());
                member.start();
            }
            assignments.awaitCovering(stableNames, PARTITIONS, formed, SETTLE_TIMEOUT);
            for (int join = 0; join < joins; join++) {
                GroupMember joiner = member("joiner-" + join, bootstrap, assignments);
                Set<String> all = new LinkedHashSet<>(stableNames);
                all.add(joiner.name());
                try {
                    joiner.start();
                    long done = assignments.awaitCovering(all, PARTITIONS, awaitSubscribed(joiner), SETTLE_TIMEOUT);
                    joinMillis[join] = (done - joiner.subscribedNanos()) / 1e6;
                    Long lastRevoked = assignments.lastRevoked(stableNames);
                    if (lastRevoked == null || lastRevoked - joiner.subscribedNanos() < 0) {
                        throw new IllegalStateException("rebalance: a member kept its partitions through the join (not an eager rebalance?)");
                    }
                    rejoinMillis[join] = (done - lastRevoked) / 1e6;
                } finally {
                    long left = System.nanoTime();
                    joiner.close();
                    assignments.awaitCovering(stableNames, PARTITIONS, left, SETTLE_TIMEOUT);
                }
                checkAlive(stable);
            }
        } finally {
            for (GroupMember member : stable) {
                member.close();
            }
        }
        Arrays.sort(joinMillis);
        Arrays.sort(rejoinMillis);
        return new Measurements()
            .put("rebalance join ms", median(joinMillis))
            .put("rebalance join p90 ms", percentile(joinMillis, 0.9))
            .put("rebalance join max ms", joinMillis[joinMillis.length - 1])
            .put("rebalance rejoin to assigned ms", median(rejoinMillis));
    }

    private static GroupMember member(String name, String bootstrap, GroupAssignments assignments) {
        return new GroupMember(name, bootstrap, GROUP, TOPIC, assignments, POLL_TIMEOUT, records -> { });
    }

    /** The joiner's subscribe time, once its thread has set it. */
    private static long awaitSubscribed(GroupMember joiner) throws InterruptedException {
        while (joiner.subscribedNanos() == 0) {
            if (joiner.failure() != null) {
                throw new IllegalStateException("rebalance: " + joiner.name() + " failed", joiner.failure());
            }
            Thread.sleep(1);
        }
        return joiner.subscribedNanos();
    }

    private static void checkAlive(List<GroupMember> members) {
        for (GroupMember member : members) {
            if (member.failure() != null) {
                throw new IllegalStateException("rebalance: " + member.name() + " failed", member.failure());
            }
        }
    }

    private static double median(double[] sorted) {
        int n = sorted.length;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    /** The nearest-rank percentile of sorted values. */
    private static double percentile(double[] sorted, double p) {
        int index = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, index))];
    }
}
