package dev.borges.broker.handler;

import dev.borges.protocol.Errors;
import dev.borges.protocol.message.FetchRequestData;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Incremental fetch sessions (KIP-227): the broker remembers which partitions a client fetches, so
 * later requests name only partitions whose fetch position changed (plus those to forget), and
 * responses carry only partitions with news (records, an error, a moved high watermark or log
 * start). What a request's (session id, epoch) means:
 *
 * <pre>
 *  (0, -1)  no session: a full fetch, answered in full, session id 0
 *  (0,  0)  start a session: a full fetch; the answer carries the new session's id
 *  (id, n)  the session's n-th incremental fetch (n must be the session's next epoch)
 *  (id, 0)  close session id and start a new one
 *  (id, -1) close session id; this request is a full fetch without a session
 * </pre>
 *
 * When all {@code maxSessions} slots are taken, the least recently used session is evicted if it
 * has been idle for two minutes; otherwise the new client gets no session (id 0) and fetches in full. Threading: thread-safe;
 * a session is used by one connection at a time (the client sends one fetch at a time).
 */
public final class FetchSessions {
    static final int INITIAL_EPOCH = 0;
    static final int FINAL_EPOCH = -1;

    /** How long a session is safe from eviction: Kafka's two minutes. */
    static final long MIN_EVICTION_AGE_NANOS = java.util.concurrent.TimeUnit.MINUTES.toNanos(2);

    private final int maxSessions;
    private final LinkedHashMap<Integer, Session> sessions = new LinkedHashMap<>(16, 0.75f, true);

    public FetchSessions(int maxSessions) {
        this.maxSessions = maxSessions;
    }

    /** A partition a session fetches, keyed by topic (name or id text) and partition. */
    record Key(String topic, int partition) {
    }

    /** What the broker last told a session about one partition, to tell only what changed. */
    static final class PartitionState {
        FetchRequestData.FetchPartition request;
        FetchRequestData.FetchTopic topic;
        long lastHighWatermark = -1;
        long lastLogStartOffset = -1;
        long lastStableOffset = -1;

        PartitionState(FetchRequestData.FetchTopic topic, FetchRequestData.FetchPartition request) {
            this.topic = topic;
            this.request = request;
        }
    }

    static final class Session {
        final int id;
        int nextEpoch;
        long lastUsedNanos = System.nanoTime();
        final Map<Key, PartitionState> partitions = new LinkedHashMap<>();

        Session(int id) {
            this.id = id;
            this.nextEpoch = 1;
        }
    }

    /** How a request relates to sessions: which partitions it fetches, whether the answer is incremental. */
    record Context(Errors error, Session session, boolean incremental, List<PartitionState> partitions) {
        int responseSessionId() {
            return session == null ? 0 : session.id;
        }
    }

    synchronized Context resolve(FetchRequestData request, boolean byId) {
        int id = request.sessionId();
        int epoch = request.sessionEpoch();
        if (id != 0 && (epoch == FINAL_EPOCH || epoch == INITIAL_EPOCH)) {
            sessions.remove(id);
        }
        if (epoch == FINAL_EPOCH) {
            return new Context(Errors.NONE, null, false, full(request, byId));
        }
        if (epoch == INITIAL_EPOCH) {
            if (!makeRoom()) {
                // every slot is held by a session used within the last two minutes: no session this
                // time (id 0); the client fetches in full and asks again later
                return new Context(Errors.NONE, null, false, full(request, byId));
            }
            Session session = new Session(newId());
            for (PartitionState state : full(request, byId)) {
                session.partitions.put(key(state.topic, state.request.partition(), byId), state);
            }
            sessions.put(session.id, session);
            return new Context(Errors.NONE, session, false, List.copyOf(session.partitions.values()));
        }
        Session session = sessions.get(id);
        if (session == null) {
            return new Context(Errors.FETCH_SESSION_ID_NOT_FOUND, null, false, List.of());
        }
        if (epoch != session.nextEpoch) {
            return new Context(Errors.INVALID_FETCH_SESSION_EPOCH, null, false, List.of());
        }
        session.nextEpoch = epoch == Integer.MAX_VALUE ? 1 : epoch + 1;
        session.lastUsedNanos = System.nanoTime();
        for (FetchRequestData.FetchTopic topic : request.topics()) {
            for (FetchRequestData.FetchPartition partition : topic.partitions()) {
                Key key = key(topic, partition.partition(), byId);
                PartitionState state = session.partitions.get(key);
                if (state == null) {
                    session.partitions.put(key, new PartitionState(topic, partition));
                } else {
                    state.topic = topic;
                    state.request = partition;
                }
            }
        }
        for (FetchRequestData.ForgottenTopic forgotten : request.forgottenTopicsData()) {
            String topic = byId ? forgotten.topicId().toString() : forgotten.topic();
            for (Integer partition : forgotten.partitions()) {
                session.partitions.remove(new Key(topic, partition));
            }
        }
        return new Context(Errors.NONE, session, true, List.copyOf(session.partitions.values()));
    }

    /** The partitions of a request that cannot use sessions (versions before 7). */
    static List<PartitionState> resolveWithoutSession(FetchRequestData request) {
        return full(request, false);
    }

    synchronized int size() {
        return sessions.size();
    }

    private static List<PartitionState> full(FetchRequestData request, boolean byId) {
        List<PartitionState> states = new ArrayList<>();
        for (FetchRequestData.FetchTopic topic : request.topics()) {
            for (FetchRequestData.FetchPartition partition : topic.partitions()) {
                states.add(new PartitionState(topic, partition));
            }
        }
        return states;
    }

    private static Key key(FetchRequestData.FetchTopic topic, int partition, boolean byId) {
        return new Key(byId ? topic.topicId().toString() : topic.topic(), partition);
    }

    private int newId() {
        while (true) {
            int id = ThreadLocalRandom.current().nextInt(1, Integer.MAX_VALUE);
            if (!sessions.containsKey(id)) {
                return id;
            }
        }
    }

    /** Frees a slot if the cache is full, evicting the least recently used session if it is old enough. */
    private boolean makeRoom() {
        if (sessions.size() < maxSessions) {
            return true;
        }
        Iterator<Session> oldest = sessions.values().iterator();
        if (oldest.hasNext() && System.nanoTime() - oldest.next().lastUsedNanos >= MIN_EVICTION_AGE_NANOS) {
            oldest.remove();
            return true;
        }
        return false;
    }
}
