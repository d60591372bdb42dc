package dev.borges.protocol.generator.emit;

/** Accumulates Java source lines with indentation; {@code {} } blocks indent their bodies. */
final class CodeBuffer {
    private final StringBuilder text = new StringBuilder();
    private int indent;

    CodeBuffer line(String line) {
        if (line.isEmpty()) {
            text.append('\n');
            return this;
        }
        if (line.startsWith("}")) {
            indent--;
        }
        text.append("    ".repeat(Math.max(indent, 0))).append(line).append('\n');
        if (line.endsWith("{")) {
            indent++;
        }
        return this;
    }

    CodeBuffer line(String format, Object... args) {
        return line(String.format(format, args));
    }

    CodeBuffer blank() {
        return line("");
    }

    /** Appends another buffer's lines at the current indentation. */
    CodeBuffer append(CodeBuffer other) {
        for (String line : other.text.toString().split("\n", -1)) {
            if (!line.isEmpty()) {
                text.append("    ".repeat(indent)).append(line);
            }
            text.append('\n');
        }
        // split leaves one trailing empty element for the final newline; remove its extra newline
        text.setLength(text.length() - 1);
        return this;
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
