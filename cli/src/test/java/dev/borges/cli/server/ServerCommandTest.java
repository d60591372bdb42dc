package dev.borges.cli.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.cli.output.Terminal;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import org.junit.jupiter.api.Test;

class ServerCommandTest {
    private static final Terminal TERMINAL = new Terminal(new ByteArrayInputStream(new byte[0]),
        new PrintStream(new ByteArrayOutputStream()), new PrintStream(new ByteArrayOutputStream()), false, false, false, false);

    @Test
    void plainFormsSkipPicocli() {
        assertThat(ServerCommand.parsePlain(TERMINAL, "server")).isPresent();
        assertThat(ServerCommand.parsePlain(TERMINAL, "server", "config/server.properties")).isPresent();
        assertThat(ServerCommand.parsePlain(TERMINAL, "server", "--override", "node.id=2", "server.properties",
            "--override=log.dirs=/tmp/x")).isPresent();
    }

    @Test
    void everythingElseIsLeftToPicocli() {
        assertThat(ServerCommand.parsePlain(TERMINAL, "topic", "list")).isEmpty();
        assertThat(ServerCommand.parsePlain(TERMINAL, "server", "--help")).isEmpty();
        assertThat(ServerCommand.parsePlain(TERMINAL, "server", "-h")).isEmpty();
        assertThat(ServerCommand.parsePlain(TERMINAL, "server", "--print-config")).isEmpty();
        assertThat(ServerCommand.parsePlain(TERMINAL, "server", "--override")).isEmpty();
        assertThat(ServerCommand.parsePlain(TERMINAL, "server", "--override", "node.id")).isEmpty();
        assertThat(ServerCommand.parsePlain(TERMINAL, "server", "--overide", "node.id=2")).isEmpty();
        assertThat(ServerCommand.parsePlain(TERMINAL, "server", "a.properties", "b.properties")).isEmpty();
    }
}
