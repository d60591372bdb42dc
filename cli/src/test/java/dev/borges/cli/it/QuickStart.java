package dev.borges.cli.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.util.List;

/**
 * The README's quick start as tests use it: its {@code console} blocks (the first starts a broker,
 * the second makes a topic and reads and writes records, the third reads as a consumer group and
 * shows its lag), and running a block as written against a broker at another address.
 */
final class QuickStart {
    /** Where the README's commands find their broker; tests put the address of theirs in its place. */
    static final String README_ADDRESS = "localhost:9092";

    private QuickStart() {
    }

    /** The console blocks of the README's "Quick start" section, in order. */
    static List<List<ConsoleBlocks.Step>> blocks() throws IOException {
        List<List<ConsoleBlocks.Step>> blocks = ConsoleBlocks.read(BorgesProcess.home().resolve("README.md"), "Quick start");
        assertThat(blocks).as("console blocks in the README's quick start").hasSizeGreaterThanOrEqualTo(3);
        return blocks;
    }

    /**
     * Runs each command of {@code block} through bash in the repository's root, against the broker
     * at {@code address}, and checks that it succeeds and prints the lines the README shows.
     */
    static void runAsWritten(List<ConsoleBlocks.Step> block, String address) {
        BorgesProcess shell = BorgesProcess.against(address);
        for (ConsoleBlocks.Step written : block) {
            ConsoleBlocks.Step step = written.replace(README_ADDRESS, address);
            BorgesProcess.Result result = shell.shell(step.command());
            assertThat(result.exitCode()).as(step.command() + "\n" + result).isZero();
            assertThat(step.missingFrom(result.stdout())).as("lines the README shows for '" + step.command() + "'\n" + result).isEmpty();
        }
    }
}
