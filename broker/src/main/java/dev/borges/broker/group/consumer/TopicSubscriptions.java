package dev.borges.broker.group.consumer;

import dev.borges.protocol.Errors;
import dev.borges.protocol.types.Uuid;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * Turns what members subscribe to (topic names, a regex) into topics: the group's subscription
 * metadata ({@link ConsumerGroupRecord.SubscriptionMetadata}) and each member's topic ids.
 *
 * <p><b>Regexes.</b> Kafka evaluates {@code SubscribedTopicRegex} with RE2/J, matching the whole
 * topic name; Borges uses {@link java.util.regex}, also on the whole name. The two agree on the
 * syntax RE2 has (classes, groups, alternation, repetition, anchors); Java additionally accepts
 * look-around and back-references, which Kafka rejects as INVALID_REGULAR_EXPRESSION. Java's
 * backtracking engine can take exponential time on some patterns, so every match runs with a
 * step budget ({@link #MATCH_STEP_BUDGET} character reads per topic name): a member whose new
 * regex exceeds it on the current topics is refused with INVALID_REGULAR_EXPRESSION, and a
 * topic on which an accepted regex later exceeds it is treated as not matching.
 *
 * <p>Regex results are cached per regex for the {@link TopicsView#version()} they were computed
 * on; a cache hit needs the same version, so the cache never changes a result. Owned by one
 * {@link ConsumerGroupManager}; not thread-safe.
 */
final class TopicSubscriptions {
    /** Character reads one match of a regex against one topic name may take. */
    static final int MATCH_STEP_BUDGET = 100_000;

    private final Map<String, Pattern> patterns = new HashMap<>();
    private final Map<String, Set<String>> matches = new HashMap<>();
    private long matchesVersion = Long.MIN_VALUE;

    /** Compiles a regex, or fails with the reason in Kafka's words. */
    static Pattern compile(String regex) {
        try {
            return Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new GroupOperationException(Errors.INVALID_REGULAR_EXPRESSION,
                "SubscribedTopicRegex `" + regex + "` is not a valid regular expression: " + e.getDescription() + ".");
        }
    }

    /** True if the regex matches the whole topic name (within the step budget). */
    static boolean matches(String regex, String topic) {
        try {
            return matchesWithinBudget(Pattern.compile(regex), topic);
        } catch (PatternSyntaxException | BudgetExceeded e) {
            return false;
        }
    }

    /**
     * Checks that a member's new regex can be evaluated on the current topics within the budget.
     *
     * @throws GroupOperationException INVALID_REGULAR_EXPRESSION if it does not compile or is too costly
     */
    void checkEvaluable(String regex, TopicsView topics) {
        Pattern pattern = pattern(regex);
        for (String topic : topics.topicNames()) {
            try {
                matchesWithinBudget(pattern, topic);
            } catch (BudgetExceeded e) {
                throw new GroupOperationException(Errors.INVALID_REGULAR_EXPRESSION,
                    "SubscribedTopicRegex `" + regex + "` takes too long to evaluate on topic " + topic + ".");
            }
        }
    }

    /**
     * The metadata of the topics these names and regexes subscribe to that exist in the view, by
     * name: what a group's type 4 record holds.
     */
    Map<String, ConsumerGroupRecord.TopicMetadata> metadata(
            Collection<String> topicNames, Collection<String> regexes, TopicsView topics) {
        Map<String, ConsumerGroupRecord.TopicMetadata> metadata = new TreeMap<>();
        for (String name : topicNames) {
            add(metadata, topics.topic(name));
        }
        for (String regex : regexes) {
            for (String name : resolve(regex, topics)) {
                add(metadata, topics.topic(name));
            }
        }
        return metadata;
    }

    /**
     * The ids of the topics a member subscribes to among the group's subscribed topics: by name,
     * or matched by its regex.
     */
    Set<Uuid> topicIds(ConsumerGroupMember member, Map<String, ConsumerGroupRecord.TopicMetadata> metadata) {
        Set<Uuid> ids = new HashSet<>();
        for (String name : member.subscribedTopicNames()) {
            ConsumerGroupRecord.TopicMetadata topic = metadata.get(name);
            if (topic != null) {
                ids.add(topic.topicId());
            }
        }
        if (member.subscribedTopicRegex() != null) {
            Pattern pattern = pattern(member.subscribedTopicRegex());
            for (ConsumerGroupRecord.TopicMetadata topic : metadata.values()) {
                if (matchesQuietly(pattern, topic.name())) {
                    ids.add(topic.topicId());
                }
            }
        }
        return ids;
    }

    /** The topic names the regex matches in the view. */
    Set<String> resolve(String regex, TopicsView topics) {
        if (topics.version() != matchesVersion) {
            matches.clear();
            matchesVersion = topics.version();
        }
        Set<String> cached = matches.get(regex);
        if (cached != null) {
            return cached;
        }
        Pattern pattern = pattern(regex);
        List<String> matched = new ArrayList<>();
        for (String topic : topics.topicNames()) {
            if (matchesQuietly(pattern, topic)) {
                matched.add(topic);
            }
        }
        Set<String> result = Set.copyOf(matched);
        matches.put(regex, result);
        return result;
    }

    private Pattern pattern(String regex) {
        Pattern pattern = patterns.get(regex);
        if (pattern == null) {
            pattern = compile(regex);
            if (patterns.size() > 10_000) {
                patterns.clear();
            }
            patterns.put(regex, pattern);
        }
        return pattern;
    }

    private static void add(Map<String, ConsumerGroupRecord.TopicMetadata> metadata, TopicsView.TopicInfo topic) {
        if (topic != null) {
            metadata.put(topic.name(), new ConsumerGroupRecord.TopicMetadata(topic.id(), topic.name(), topic.partitionCount()));
        }
    }

    private static boolean matchesQuietly(Pattern pattern, String topic) {
        try {
            return matchesWithinBudget(pattern, topic);
        } catch (BudgetExceeded e) {
            return false;
        }
    }

    private static boolean matchesWithinBudget(Pattern pattern, String topic) {
        return pattern.matcher(new BudgetedChars(topic, new int[] {MATCH_STEP_BUDGET})).matches();
    }

    /** Thrown (without a stack trace) when a match has read its budget of characters. */
    private static final class BudgetExceeded extends RuntimeException {
        private static final long serialVersionUID = 1L;

        BudgetExceeded() {
            super(null, null, false, false);
        }
    }

    /** A string whose characters can be read only so many times, shared by its sub-sequences. */
    private static final class BudgetedChars implements CharSequence {
        private final String text;
        private final int[] budget;

        BudgetedChars(String text, int[] budget) {
            this.text = text;
            this.budget = budget;
        }

        @Override
        public char charAt(int index) {
            if (--budget[0] < 0) {
                throw new BudgetExceeded();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new BudgetedChars(text.substring(start, end), budget);
        }

        @Override
        public String toString() {
            return text;
        }
    }
}
