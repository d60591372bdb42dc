package dev.borges.cli.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code console} code blocks of one section of a Markdown file, as sessions: each {@code $ }
 * line is a command, the lines after it (up to the next command) what it prints. In the printed
 * lines {@code ...} stands for any text, and a line of just {@code ...} for lines left out.
 *
 * <p>{@link Step#matches} compares printed lines in any order (records from several partitions may
 * arrive in any order) with runs of spaces collapsed (column widths depend on the values).
 */
final class ConsoleBlocks {
    private ConsoleBlocks() {
    }

    /** One command and what it should print. */
    record Step(String command, List<String> expected) {
        /** The expected lines that {@code output} lacks; empty when it has them all. */
        List<String> missingFrom(String output) {
            List<String> actual = output.lines().map(ConsoleBlocks::normalize).toList();
            List<String> missing = new ArrayList<>();
            for (String line : expected) {
                String wanted = normalize(line);
                if (wanted.equals("...") || wanted.isEmpty()) {
                    continue;
                }
                Pattern pattern = Pattern.compile(String.join(".*", java.util.Arrays.stream(wanted.split("\\.\\.\\.", -1))
                    .map(Pattern::quote).toList()));
                if (actual.stream().noneMatch(a -> pattern.matcher(a).matches())) {
                    missing.add(line);
                }
            }
            return missing;
        }

        Step replace(String from, String to) {
            return new Step(command.replace(from, to), expected.stream().map(l -> l.replace(from, to)).toList());
        }
    }

    /** The console blocks under the heading {@code ## section} of {@code markdown}, in order. */
    static List<List<Step>> read(Path markdown, String section) throws IOException {
        List<List<Step>> blocks = new ArrayList<>();
        boolean inSection = false;
        List<Step> block = null;
        String command = null;
        List<String> expected = new ArrayList<>();
        for (String line : Files.readAllLines(markdown)) {
            if (block == null && line.startsWith("## ")) {
                inSection = line.substring(3).trim().equals(section);
                continue;
            }
            if (!inSection) {
                continue;
            }
            if (block == null && line.trim().equals("```console")) {
                block = new ArrayList<>();
                continue;
            }
            if (block == null) {
                continue;
            }
            if (line.trim().equals("```")) {
                if (command != null) {
                    block.add(new Step(command, List.copyOf(expected)));
                }
                blocks.add(block);
                block = null;
                command = null;
                expected.clear();
            } else if (line.startsWith("$ ")) {
                if (command != null) {
                    block.add(new Step(command, List.copyOf(expected)));
                }
                command = line.substring(2);
                expected.clear();
            } else if (command != null) {
                expected.add(line);
            }
        }
        return blocks;
    }

    static String normalize(String line) {
        return line.trim().replaceAll("\\s+", " ");
    }
}
