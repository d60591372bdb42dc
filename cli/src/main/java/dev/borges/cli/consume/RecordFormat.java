package dev.borges.cli.consume;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;

/**
 * A {@code --format} template for printing records, in kcat's style:
 *
 * <pre>
 * %t topic      %p partition   %o offset      %T timestamp (epoch ms)
 * %k key        %s value       %K key length  %S value length
 * %h headers as k=v,k2=v2      %% a percent sign
 * \n newline    \t tab         \\ backslash
 * </pre>
 *
 * A null key or value prints as nothing (its length as -1). Each record's text ends with a newline:
 * one is added unless the template already ends with {@code \n}. The template is parsed once, into
 * literal text and fields; formatting a record walks that list. Immutable and thread-safe.
 */
public final class RecordFormat {
    /** The default: the value alone, one record per line. */
    public static final String DEFAULT = "%s\\n";

    private enum Field { TOPIC, PARTITION, OFFSET, TIMESTAMP, KEY, VALUE, KEY_LENGTH, VALUE_LENGTH, HEADERS }

    /** Literal text, or a field (then {@code text} is null). */
    private record Part(String text, Field field) {
    }

    private final List<Part> parts;

    private RecordFormat(List<Part> parts) {
        this.parts = parts;
    }

    /**
     * Parses a template.
     *
     * @throws IllegalArgumentException naming an unknown {@code %x} or a dangling {@code %} or {@code \}
     */
    public static RecordFormat parse(String template) {
        List<Part> parts = new ArrayList<>();
        StringBuilder literal = new StringBuilder();
        for (int i = 0; i < template.length(); i++) {
            char c = template.charAt(i);
            if (c != '%' && c != '\\') {
                literal.append(c);
                continue;
            }
            if (i + 1 >= template.length()) {
                throw new IllegalArgumentException("the format ends with a lone '" + c + "'");
            }
            char next = template.charAt(++i);
            if (c == '\\') {
                switch (next) {
                    case 'n' -> literal.append('\n');
                    case 't' -> literal.append('\t');
                    case 'r' -> literal.append('\r');
                    case '\\' -> literal.append('\\');
                    default -> throw new IllegalArgumentException("unknown escape '\\" + next + "' in the format; known: \\n \\t \\r \\\\");
                }
                continue;
            }
            Field field = switch (next) {
                case 't' -> Field.TOPIC;
                case 'p' -> Field.PARTITION;
                case 'o' -> Field.OFFSET;
                case 'T' -> Field.TIMESTAMP;
                case 'k' -> Field.KEY;
                case 's' -> Field.VALUE;
                case 'K' -> Field.KEY_LENGTH;
                case 'S' -> Field.VALUE_LENGTH;
                case 'h' -> Field.HEADERS;
                case '%' -> null;
                default -> throw new IllegalArgumentException("unknown field '%" + next + "' in the format;"
                    + " known: %t %p %o %T %k %s %K %S %h %%");
            };
            if (field == null) {
                literal.append('%');
                continue;
            }
            if (!literal.isEmpty()) {
                parts.add(new Part(literal.toString(), null));
                literal.setLength(0);
            }
            parts.add(new Part(null, field));
        }
        if (literal.isEmpty() || literal.charAt(literal.length() - 1) != '\n') {
            literal.append('\n');
        }
        parts.add(new Part(literal.toString(), null));
        return new RecordFormat(List.copyOf(parts));
    }

    /** Appends {@code record} as the template says. */
    public void format(ConsumerRecord<byte[], byte[]> record, StringBuilder out) {
        for (Part part : parts) {
            if (part.text() != null) {
                out.append(part.text());
                continue;
            }
            switch (part.field()) {
                case TOPIC -> out.append(record.topic());
                case PARTITION -> out.append(record.partition());
                case OFFSET -> out.append(record.offset());
                case TIMESTAMP -> out.append(record.timestamp());
                case KEY -> appendText(record.key(), out);
                case VALUE -> appendText(record.value(), out);
                case KEY_LENGTH -> out.append(record.key() == null ? -1 : record.key().length);
                case VALUE_LENGTH -> out.append(record.value() == null ? -1 : record.value().length);
                case HEADERS -> appendHeaders(record, out);
                default -> throw new IllegalStateException("Unhandled field " + part.field());
            }
        }
    }

    public String format(ConsumerRecord<byte[], byte[]> record) {
        StringBuilder out = new StringBuilder();
        format(record, out);
        return out.toString();
    }

    private static void appendText(byte[] bytes, StringBuilder out) {
        if (bytes != null) {
            out.append(new String(bytes, StandardCharsets.UTF_8));
        }
    }

    private static void appendHeaders(ConsumerRecord<byte[], byte[]> record, StringBuilder out) {
        boolean first = true;
        for (Header header : record.headers()) {
            if (!first) {
                out.append(',');
            }
            first = false;
            out.append(header.key()).append('=');
            appendText(header.value(), out);
        }
    }
}
