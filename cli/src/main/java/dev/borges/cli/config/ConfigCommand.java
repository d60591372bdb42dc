package dev.borges.cli.config;

import dev.borges.cli.CommandGroup;
import picocli.CommandLine.Command;

/** {@code borges config}: read and change settings of topics and brokers. */
@Command(name = "config", aliases = "configs",
    description = "Read and change settings of topics and brokers.",
    commandListHeading = "%nCommands:%n",
    subcommands = {ConfigGetCommand.class, ConfigSetCommand.class})
public final class ConfigCommand extends CommandGroup {
}
