package dev.borges.cli.topic;

import dev.borges.cli.CommandGroup;
import picocli.CommandLine.Command;

/** {@code borges topic}: the topic subcommands. */
@Command(name = "topic", aliases = "topics",
    description = "Create, list, describe, change and delete topics.",
    commandListHeading = "%nCommands:%n",
    subcommands = {TopicCreateCommand.class, TopicListCommand.class, TopicDescribeCommand.class, TopicAlterCommand.class,
        TopicAddPartitionsCommand.class, TopicDeleteCommand.class})
public final class TopicCommand extends CommandGroup {
}
