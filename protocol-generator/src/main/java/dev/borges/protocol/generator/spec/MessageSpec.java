package dev.borges.protocol.generator.spec;

import java.util.List;

/**
 * One schema file: a request, response, header or data message.
 *
 * @param apiKey   the API key for requests and responses, else null
 * @param latestVersionUnstable the highest valid version is still under development in Kafka
 * @param listeners which node roles serve a request ({@code broker}, {@code controller})
 */
public record MessageSpec(
    String name,
    String type,
    Short apiKey,
    Versions validVersions,
    Versions flexibleVersions,
    boolean latestVersionUnstable,
    List<String> listeners,
    List<FieldSpec> fields,
    List<StructSpec> commonStructs) {

    /**
     * The generated class's simple name, as Kafka names it: {@code <Name>Data} for requests,
     * responses and headers, the plain name for other ("data") messages.
     */
    public String className() {
        return "data".equals(type) ? name : name + "Data";
    }

    /** Kafka retired some APIs by declaring no valid versions; no code is generated for them. */
    public boolean isRetired() {
        return validVersions.isEmpty();
    }

    public StructSpec asStruct() {
        return new StructSpec(name, validVersions, fields);
    }

    public boolean isRequest() {
        return "request".equals(type);
    }

    public boolean isResponse() {
        return "response".equals(type);
    }
}
