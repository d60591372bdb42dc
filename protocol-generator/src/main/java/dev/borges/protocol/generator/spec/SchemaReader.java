package dev.borges.protocol.generator.spec;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Reads Kafka's message schema files into {@link MessageSpec}s. The files are JSON with
 * {@code //} line comments, which Jackson is told to accept, so they are parsed as published.
 */
public final class SchemaReader {
    private final ObjectMapper mapper = new ObjectMapper().enable(JsonParser.Feature.ALLOW_COMMENTS);

    /** Every {@code *.json} schema in {@code directory}, sorted by file name. */
    public List<MessageSpec> readDirectory(Path directory) throws IOException {
        List<MessageSpec> specs = new ArrayList<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
                specs.add(readFile(file));
            }
        }
        if (specs.isEmpty()) {
            throw new SchemaException("No *.json message schemas in " + directory);
        }
        return specs;
    }

    public MessageSpec readFile(Path file) throws IOException {
        try {
            return read(mapper.readTree(file.toFile()));
        } catch (SchemaException e) {
            throw new SchemaException(file.getFileName() + ": " + e.getMessage(), e);
        }
    }

    public MessageSpec read(String json) throws IOException {
        return read(mapper.readTree(json));
    }

    private MessageSpec read(JsonNode root) {
        String name = required(root, "name");
        Versions valid = Versions.parse(required(root, "validVersions"), null);
        Versions flexible = Versions.parse(text(root, "flexibleVersions"), Versions.NONE);
        Short apiKey = root.has("apiKey") ? (short) root.get("apiKey").asInt() : null;
        List<StructSpec> commonStructs = new ArrayList<>();
        for (JsonNode struct : root.path("commonStructs")) {
            commonStructs.add(new StructSpec(required(struct, "name"),
                Versions.parse(required(struct, "versions"), null), fields(struct.path("fields"))));
        }
        List<String> listeners = new ArrayList<>();
        root.path("listeners").forEach(listener -> listeners.add(listener.asText()));
        return new MessageSpec(name, required(root, "type"), apiKey, valid, flexible,
            root.path("latestVersionUnstable").asBoolean(false), listeners, fields(root.path("fields")), commonStructs);
    }

    private List<FieldSpec> fields(JsonNode array) {
        List<FieldSpec> fields = new ArrayList<>();
        for (JsonNode node : array) {
            fields.add(field(node));
        }
        return fields;
    }

    private FieldSpec field(JsonNode node) {
        String name = required(node, "name");
        try {
            FieldType type = FieldType.parse(required(node, "type"));
            Versions versions = Versions.parse(required(node, "versions"), null);
            Versions nullable = Versions.parse(text(node, "nullableVersions"), Versions.NONE);
            if (!nullable.isEmpty() && !type.canBeNullable()) {
                throw new SchemaException("type " + type + " cannot be nullable");
            }
            Integer tag = node.has("tag") ? node.get("tag").asInt() : null;
            Versions tagged = Versions.parse(text(node, "taggedVersions"), Versions.NONE);
            if ((tag == null) != tagged.isEmpty()) {
                throw new SchemaException("a tagged field needs both 'tag' and 'taggedVersions'");
            }
            JsonNode defaultNode = node.get("default");
            String defaultValue = defaultNode == null ? null : defaultNode.asText();
            Versions flexibleOverride = node.has("flexibleVersions")
                ? Versions.parse(node.get("flexibleVersions").asText(), null) : null;
            return new FieldSpec(name, type, versions, nullable, tagged, tag, defaultValue,
                node.path("ignorable").asBoolean(false), flexibleOverride, node.path("zeroCopy").asBoolean(false),
                node.has("fields") ? fields(node.get("fields")) : null, node.path("about").asText(""));
        } catch (SchemaException e) {
            throw new SchemaException("field " + name + ": " + e.getMessage(), e);
        }
    }

    private static String required(JsonNode node, String key) {
        JsonNode value = node.get(key);
        if (value == null || value.isNull()) {
            throw new SchemaException("missing '" + key + "'");
        }
        return value.asText();
    }

    private static String text(JsonNode node, String key) {
        JsonNode value = node.get(key);
        return value == null || value.isNull() ? null : value.asText();
    }
}
