package dev.borges.cli.group;

import dev.borges.cli.ClientCommand;
import dev.borges.cli.client.KafkaConnection;
import dev.borges.cli.output.Json;
import dev.borges.cli.output.Table;
import dev.borges.cli.output.Units;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code borges group describe GROUP...}: per partition the committed offset, end offset and lag, and who reads it. */
@Command(name = "describe", sortOptions = false,
    description = {
        "Show a group's committed offsets and lag, partition by partition.",
        "",
        "Per partition: the committed offset, the end offset, the lag (records not yet read) and the member"
            + " reading it; then the group's state and total lag."},
    footerHeading = "%nExamples:%n",
    footer = {"  borges group describe billing", "  borges group describe billing --output json"})
public final class GroupDescribeCommand extends ClientCommand {
    @Parameters(arity = "1..*", paramLabel = "GROUP", description = "Groups to describe.")
    private List<String> groups;

    @Override
    protected int run(KafkaConnection connection) throws Exception {
        List<GroupLag> states = new ArrayList<>();
        for (String group : groups) {
            states.add(GroupLag.load(connection.admin(), group, options.timeout()));
        }
        if (json()) {
            Json.print(terminal(), Map.of("groups", states.stream().map(GroupDescribeCommand::toJson).toList()));
            return 0;
        }
        boolean first = true;
        for (GroupLag state : states) {
            if (!first) {
                terminal().out().println();
            }
            first = false;
            terminal().out().println(terminal().bold("Group " + state.groupId()) + "  " + state.state() + ", " + state.members()
                + (state.members() == 1 ? " member" : " members") + ", total lag " + Units.count(state.totalLag())
                + (state.coordinator() == null ? "" : ", coordinator " + state.coordinator()));
            if (state.partitions().isEmpty()) {
                terminal().out().println("No committed offsets and no assigned partitions.");
                continue;
            }
            terminal().out().println();
            Table table = Table.of("TOPIC", "PARTITION>", "COMMITTED>", "END>", "LAG>", "MEMBER", "HOST", "CLIENT");
            for (GroupLag.PartitionLag p : state.partitions()) {
                table.row(p.topic(), p.partition(), count(p.committed()), count(p.end()), count(p.lag()), p.memberId(), p.host(),
                    p.clientId());
            }
            if (state.partitions().size() > 1) {
                table.totals("total", "", "", "", Units.count(state.totalLag()), "", "", "");
            }
            table.print(terminal());
        }
        return 0;
    }

    private static String count(Long value) {
        return value == null ? null : Units.count(value);
    }

    private static Map<String, Object> toJson(GroupLag state) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("group", state.groupId());
        json.put("state", state.state());
        json.put("coordinator", state.coordinator());
        json.put("members", state.members());
        json.put("totalLag", state.totalLag());
        List<Map<String, Object>> partitions = new ArrayList<>();
        for (GroupLag.PartitionLag p : state.partitions()) {
            Map<String, Object> partition = new LinkedHashMap<>();
            partition.put("topic", p.topic());
            partition.put("partition", p.partition());
            partition.put("committedOffset", p.committed());
            partition.put("endOffset", p.end());
            partition.put("lag", p.lag());
            partition.put("memberId", p.memberId());
            partition.put("host", p.host());
            partition.put("clientId", p.clientId());
            partitions.add(partition);
        }
        json.put("partitions", partitions);
        return json;
    }
}
