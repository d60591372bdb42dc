package dev.borges.protocol.generator.emit;

/** How schema names become Java names: {@code TopicName} → {@code topicName}, {@code CreateTopics} → {@code CREATE_TOPICS}. */
final class Names {
    private Names() {
    }

    static String fieldName(String schemaName) {
        return Character.toLowerCase(schemaName.charAt(0)) + schemaName.substring(1);
    }

    static String capitalized(String schemaName) {
        return Character.toUpperCase(schemaName.charAt(0)) + schemaName.substring(1);
    }

    static String setterName(String schemaName) {
        return "set" + capitalized(schemaName);
    }

    static String constantName(String camelCase) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < camelCase.length(); i++) {
            char c = camelCase.charAt(i);
            boolean boundary = i > 0 && Character.isUpperCase(c)
                && (Character.isLowerCase(camelCase.charAt(i - 1))
                    || (i + 1 < camelCase.length() && Character.isLowerCase(camelCase.charAt(i + 1))));
            if (boundary) {
                out.append('_');
            }
            out.append(Character.toUpperCase(c));
        }
        return out.toString();
    }

    static String stringLiteral(String value) {
        StringBuilder out = new StringBuilder("\"");
        for (char c : value.toCharArray()) {
            switch (c) {
                case '"' -> out.append("\\\"");
                case '\\' -> out.append("\\\\");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\t' -> out.append("\\t");
                default -> {
                    if (c < 0x20) {
                        // octal rather than a unicode escape: javac expands those before lexing,
                        // so a line feed written as one would end the string literal
                        out.append(String.format("\\%03o", (int) c));
                    } else if (c > 0x7e) {
                        out.append(String.format("\\u%04x", (int) c));
                    } else {
                        out.append(c);
                    }
                }
            }
        }
        return out.append('"').toString();
    }

    /** Schema "about" text, safe inside a javadoc comment. */
    static String javadoc(String about) {
        return about.replace("*/", "*&#47;").replace("@", "{@literal @}").replace("<", "&lt;").replace(">", "&gt;");
    }
}
