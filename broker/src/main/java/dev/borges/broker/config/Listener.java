package dev.borges.broker.config;

import dev.borges.storage.config.InvalidConfigException;
import java.util.ArrayList;
import java.util.List;

/**
 * One entry of {@code listeners} / {@code advertised.listeners}: {@code NAME://host:port}. An
 * empty host means all interfaces. Only PLAINTEXT is served today.
 */
public record Listener(String name, String host, int port) {

    public static List<Listener> parseList(String text) {
        List<Listener> listeners = new ArrayList<>();
        for (String entry : text.split(",")) {
            if (!entry.isBlank()) {
                listeners.add(parse(entry.trim()));
            }
        }
        if (listeners.isEmpty()) {
            throw new InvalidConfigException("No listener in '" + text + "'");
        }
        return listeners;
    }

    public static Listener parse(String text) {
        int scheme = text.indexOf("://");
        int colon = text.lastIndexOf(':');
        if (scheme <= 0 || colon <= scheme + 2) {
            throw new InvalidConfigException("Listener '" + text + "' is not NAME://host:port");
        }
        String host = text.substring(scheme + 3, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1); // IPv6 literal
        }
        int port;
        try {
            port = Integer.parseInt(text.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new InvalidConfigException("Listener '" + text + "' has no valid port");
        }
        if (port < 0 || port > 65535) {
            throw new InvalidConfigException("Listener '" + text + "' has port " + port + " outside 0-65535");
        }
        return new Listener(text.substring(0, scheme), host, port);
    }

    @Override
    public String toString() {
        return name + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }
}
