package dev.borges.metadata.controller;

import java.util.Optional;

/**
 * Kafka's rules for topic names: 1 to 249 characters from {@code [a-zA-Z0-9._-]}, and neither
 * {@code "."} nor {@code ".."}. Two names <em>collide</em> when they are equal after replacing
 * {@code '.'} with {@code '_'} (metric names cannot tell them apart), and Kafka refuses a topic whose
 * name collides with an existing one.
 */
public final class TopicNames {
    public static final int MAX_LENGTH = 249;

    private TopicNames() {
    }

    /** Empty when {@code name} is a legal topic name; else why not (for INVALID_TOPIC_EXCEPTION). */
    public static Optional<String> validate(String name) {
        if (name == null || name.isEmpty()) {
            return Optional.of("Topic name is illegal, it can't be empty");
        }
        if (name.equals(".") || name.equals("..")) {
            return Optional.of("Topic name cannot be \".\" or \"..\"");
        }
        if (name.length() > MAX_LENGTH) {
            return Optional.of("Topic name is illegal, it can't be longer than " + MAX_LENGTH + " characters, topic name: "
                + name);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean legal = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == '_' || c == '-';
            if (!legal) {
                return Optional.of("Topic name \"" + name + "\" is illegal, it contains a character other than ASCII "
                    + "alphanumerics, '.', '_' and '-'");
            }
        }
        return Optional.empty();
    }

    /** The form in which colliding names are equal. */
    public static String unifyCollisionChars(String name) {
        return name.replace('.', '_');
    }
}
