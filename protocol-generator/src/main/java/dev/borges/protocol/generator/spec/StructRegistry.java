package dev.borges.protocol.generator.spec;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Every struct one message uses, by name: structs declared inline by a field's {@code "fields"},
 * and the message's {@code commonStructs}. Names are unique within a message, so each struct
 * becomes one nested class of the message class.
 */
public final class StructRegistry {
    private final Map<String, StructSpec> structs = new LinkedHashMap<>();

    public StructRegistry(MessageSpec message) {
        for (StructSpec common : message.commonStructs()) {
            add(common);
        }
        collectInline(message.fields());
        for (StructSpec common : message.commonStructs()) {
            collectInline(common.fields());
        }
        checkReferences(message.fields());
        for (StructSpec struct : structs.values()) {
            checkReferences(struct.fields());
        }
    }

    public StructSpec get(String name) {
        StructSpec struct = structs.get(name);
        if (struct == null) {
            throw new SchemaException("unknown struct type " + name);
        }
        return struct;
    }

    public Collection<StructSpec> all() {
        return structs.values();
    }

    private void collectInline(List<FieldSpec> fields) {
        for (FieldSpec field : fields) {
            if (field.fields() != null) {
                String name = field.structName();
                if (name == null) {
                    throw new SchemaException("field " + field.name() + " declares fields but is not a struct");
                }
                add(new StructSpec(name, field.versions(), field.fields()));
                collectInline(field.fields());
            }
        }
    }

    private void add(StructSpec struct) {
        if (structs.putIfAbsent(struct.name(), struct) != null) {
            throw new SchemaException("struct " + struct.name() + " is declared twice");
        }
    }

    private void checkReferences(List<FieldSpec> fields) {
        List<String> missing = new ArrayList<>();
        for (FieldSpec field : fields) {
            String name = field.structName();
            if (name != null && !structs.containsKey(name)) {
                missing.add(name);
            }
        }
        if (!missing.isEmpty()) {
            throw new SchemaException("unknown struct types " + missing);
        }
    }
}
