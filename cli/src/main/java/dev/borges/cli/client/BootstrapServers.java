package dev.borges.cli.client;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The brokers a command starts from, as given to {@code --bootstrap} or {@code BORGES_BROKERS}:
 * {@code host:port[,host:port...]}, IPv6 hosts in brackets ({@code [::1]:9092}). Checked when
 * parsed, so a typo is a usage error and not a connection failure later. Immutable.
 *
 * @param addresses the addresses, in the order given
 */
public record BootstrapServers(List<Address> addresses) {

    /** One broker address. */
    public record Address(String host, int port) {
        @Override
        public String toString() {
            return (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }

    public BootstrapServers {
        addresses = List.copyOf(addresses);
    }

    /**
     * Parses {@code host:port[,host:port...]}.
     *
     * @throws IllegalArgumentException with a message for people
     */
    public static BootstrapServers parse(String text) {
        List<Address> addresses = new ArrayList<>();
        for (String part : text.split(",")) {
            String address = part.trim();
            if (address.isEmpty()) {
                continue;
            }
            int colon = address.lastIndexOf(':');
            if (colon <= 0 || colon == address.length() - 1) {
                throw new IllegalArgumentException("expected host:port, got '" + address + "'");
            }
            String host = address.substring(0, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(address.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("expected host:port with a numeric port, got '" + address + "'");
            }
            if (port < 1 || port > 65535) {
                throw new IllegalArgumentException("port " + port + " is out of range in '" + address + "'");
            }
            addresses.add(new Address(host, port));
        }
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("expected host:port, got '" + text + "'");
        }
        return new BootstrapServers(addresses);
    }

    /** As Kafka clients take it in {@code bootstrap.servers}. */
    @Override
    public String toString() {
        return String.join(",", addresses.stream().map(Address::toString).toList());
    }

    /** For picocli: a malformed value is a usage error. */
    public static final class Converter implements ITypeConverter<BootstrapServers> {
        @Override
        public BootstrapServers convert(String value) {
            try {
                return parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
