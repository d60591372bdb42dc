package dev.borges.cli.output;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class ProgressTest {
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();
    private final AtomicLong clock = new AtomicLong(1_000);

    @Test
    void staysSilentWhenStderrIsNotATerminal() {
        Progress progress = new Progress(terminal(false), clock::get);
        clock.addAndGet(10_000);
        progress.update("sent 10 records");
        progress.done();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
    }

    @Test
    void rewritesOneLineAtMostEveryIntervalAndErasesItWhenDone() {
        Progress progress = new Progress(terminal(true), clock::get);
        progress.update("too soon");
        clock.addAndGet(Progress.INTERVAL_MS);
        progress.update("sent 10 records");
        clock.addAndGet(Progress.INTERVAL_MS - 1);
        progress.update("still too soon");
        progress.done();
        assertThat(err.toString(StandardCharsets.UTF_8)).isEqualTo("\r\u001b[Ksent 10 records\r\u001b[K");
    }

    private Terminal terminal(boolean errIsTerminal) {
        PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        return new Terminal(new ByteArrayInputStream(new byte[0]), new PrintStream(new ByteArrayOutputStream()), errStream,
            false, false, errIsTerminal, false);
    }
}
