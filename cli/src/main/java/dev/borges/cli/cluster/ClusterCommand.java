package dev.borges.cli.cluster;

import dev.borges.cli.CommandGroup;
import picocli.CommandLine.Command;

/** {@code borges cluster}: the cluster subcommands. */
@Command(name = "cluster",
    description = "See the cluster: id, brokers, controller, version.",
    commandListHeading = "%nCommands:%n",
    subcommands = {ClusterInfoCommand.class})
public final class ClusterCommand extends CommandGroup {
}
