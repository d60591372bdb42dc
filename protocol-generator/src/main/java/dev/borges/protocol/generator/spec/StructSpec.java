package dev.borges.protocol.generator.spec;

import java.util.List;

/** A struct: the top-level message, a common struct, or a struct declared inline by a field. */
public record StructSpec(String name, Versions versions, List<FieldSpec> fields) {
}
