package dev.borges.cli.group;

import dev.borges.cli.CommandGroup;
import picocli.CommandLine.Command;

/** {@code borges group}: the consumer group subcommands. */
@Command(name = "group", aliases = "groups",
    description = "Consumer groups: list, lag, reset offsets, delete.",
    commandListHeading = "%nCommands:%n",
    subcommands = {GroupListCommand.class, GroupDescribeCommand.class, GroupResetOffsetsCommand.class, GroupDeleteCommand.class})
public final class GroupCommand extends CommandGroup {
}
