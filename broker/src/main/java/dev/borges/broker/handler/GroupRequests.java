package dev.borges.broker.handler;

import dev.borges.broker.group.ClientContext;
import dev.borges.broker.network.RequestContext;
import dev.borges.protocol.RequestHeader;

/** What the group handlers share: who is asking, as the group coordinator records it. */
final class GroupRequests {
    /**
     * READ 3, DELETE 6, DESCRIBE 8, DESCRIBE_CONFIGS 10, ALTER_CONFIGS 11: Kafka's operations on a
     * group, as the bit field DescribeGroups and ConsumerGroupDescribe report when asked. Without an
     * authorizer every one of them is allowed.
     */
    static final int GROUP_OPERATIONS = (1 << 3) | (1 << 6) | (1 << 8) | (1 << 10) | (1 << 11);

    private GroupRequests() {
    }

    /** The client id and host ({@code /127.0.0.1}, as Kafka shows it) and the API version. */
    static ClientContext client(RequestContext context) {
        String host = context.clientAddress() == null || context.clientAddress().getAddress() == null ? ""
            : context.clientAddress().getAddress().toString();
        return new ClientContext(context.header().clientId(), host, context.apiVersion());
    }

    /** Without a connection (tests): the client id and version only. */
    static ClientContext client(RequestHeader header) {
        return new ClientContext(header.clientId(), "", header.apiVersion());
    }
}
