package dev.borges.cli.group;

import dev.borges.cli.ClientCommand;
import dev.borges.cli.client.KafkaConnection;
import dev.borges.cli.output.Json;
import dev.borges.cli.output.Table;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.kafka.clients.admin.GroupListing;
import picocli.CommandLine.Command;

/** {@code borges group list}: every group the brokers know, with its type and state. */
@Command(name = "list", sortOptions = false,
    description = {"List the consumer groups with their type and state.", "",
        "Type: classic or consumer (KIP-848). State: Stable, Empty, PreparingRebalance, ..."},
    footerHeading = "%nExamples:%n",
    footer = {"  borges group list", "  borges group list --output json"})
public final class GroupListCommand extends ClientCommand {
    @Override
    protected int run(KafkaConnection connection) throws Exception {
        List<GroupListing> listings = new ArrayList<>(await(connection.admin().listGroups().all()));
        listings.sort(Comparator.comparing(GroupListing::groupId));
        Table table = Table.of("GROUP", "TYPE", "STATE");
        List<Map<String, Object>> groups = new ArrayList<>();
        for (GroupListing listing : listings) {
            String type = listing.type().map(t -> t.toString().toLowerCase(Locale.ROOT)).orElse(null);
            String state = listing.groupState().map(GroupLag::stateName).orElse(null);
            table.row(listing.groupId(), type, state);
            Map<String, Object> group = new LinkedHashMap<>();
            group.put("group", listing.groupId());
            group.put("type", type);
            group.put("protocol", listing.protocol());
            group.put("state", state);
            groups.add(group);
        }
        if (json()) {
            Json.print(terminal(), Map.of("groups", groups));
        } else if (table.isEmpty()) {
            terminal().out().println("No groups yet. Consumers create them: 'borges consume TOPIC --group NAME'.");
        } else {
            table.print(terminal());
        }
        return 0;
    }
}
