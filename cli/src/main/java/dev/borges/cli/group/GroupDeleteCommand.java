package dev.borges.cli.group;

import dev.borges.cli.CliException;
import dev.borges.cli.ClientCommand;
import dev.borges.cli.client.KafkaConnection;
import dev.borges.cli.client.KafkaErrors;
import dev.borges.cli.output.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.common.KafkaFuture;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code borges group delete GROUP...}: DeleteGroups, for groups without active members. */
@Command(name = "delete", sortOptions = false,
    description = {"Delete consumer groups and their committed offsets.", "",
        "Only groups without active members can be deleted."},
    footerHeading = "%nExamples:%n",
    footer = {"  borges group delete billing"})
public final class GroupDeleteCommand extends ClientCommand {
    @Parameters(arity = "1..*", paramLabel = "GROUP", description = "Groups to delete.")
    private List<String> groups;

    @Override
    protected int run(KafkaConnection connection) throws Exception {
        Map<String, KafkaFuture<Void>> results = connection.admin().deleteConsumerGroups(groups).deletedGroups();
        List<String> deleted = new ArrayList<>();
        for (String group : groups) {
            try {
                results.get(group).get();
                deleted.add(group);
            } catch (ExecutionException e) {
                Throwable cause = KafkaErrors.unwrap(e);
                if (cause instanceof GroupIdNotFoundException) {
                    throw GroupLag.missing(group);
                }
                if (cause instanceof GroupNotEmptyException) {
                    throw new CliException("consumer group '" + group + "' has active members; stop its consumers first",
                        "'borges group describe " + group + "' shows the members.");
                }
                throw KafkaErrors.toCli(e, options.timeout());
            }
        }
        if (json()) {
            Json.print(terminal(), Map.of("deleted", deleted));
        } else {
            deleted.forEach(group -> terminal().out().println("Deleted consumer group " + group + "."));
        }
        return 0;
    }
}
