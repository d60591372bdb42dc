package dev.borges.protocol;

/**
 * Kafka's error codes, as every response carries them. Codes and names are the protocol's; a client
 * decides what to do (retry, refresh metadata, give up) from the code alone, so a broker must pick
 * the one Kafka would. {@link #retriable} says whether Kafka's clients retry on it by themselves.
 *
 * <p>The list matches kafka-clients' {@code Errors} (checked by {@code ErrorsTest}).
 */
public enum Errors {
    UNKNOWN_SERVER_ERROR((short) -1, false),
    NONE((short) 0, false),
    OFFSET_OUT_OF_RANGE((short) 1, false),
    CORRUPT_MESSAGE((short) 2, true),
    UNKNOWN_TOPIC_OR_PARTITION((short) 3, true),
    INVALID_FETCH_SIZE((short) 4, false),
    LEADER_NOT_AVAILABLE((short) 5, true),
    NOT_LEADER_OR_FOLLOWER((short) 6, true),
    REQUEST_TIMED_OUT((short) 7, true),
    BROKER_NOT_AVAILABLE((short) 8, false),
    REPLICA_NOT_AVAILABLE((short) 9, true),
    MESSAGE_TOO_LARGE((short) 10, false),
    STALE_CONTROLLER_EPOCH((short) 11, false),
    OFFSET_METADATA_TOO_LARGE((short) 12, false),
    NETWORK_EXCEPTION((short) 13, true),
    COORDINATOR_LOAD_IN_PROGRESS((short) 14, true),
    COORDINATOR_NOT_AVAILABLE((short) 15, true),
    NOT_COORDINATOR((short) 16, true),
    INVALID_TOPIC_EXCEPTION((short) 17, false),
    RECORD_LIST_TOO_LARGE((short) 18, false),
    NOT_ENOUGH_REPLICAS((short) 19, true),
    NOT_ENOUGH_REPLICAS_AFTER_APPEND((short) 20, true),
    INVALID_REQUIRED_ACKS((short) 21, false),
    ILLEGAL_GENERATION((short) 22, false),
    INCONSISTENT_GROUP_PROTOCOL((short) 23, false),
    INVALID_GROUP_ID((short) 24, false),
    UNKNOWN_MEMBER_ID((short) 25, false),
    INVALID_SESSION_TIMEOUT((short) 26, false),
    REBALANCE_IN_PROGRESS((short) 27, false),
    INVALID_COMMIT_OFFSET_SIZE((short) 28, false),
    TOPIC_AUTHORIZATION_FAILED((short) 29, false),
    GROUP_AUTHORIZATION_FAILED((short) 30, false),
    CLUSTER_AUTHORIZATION_FAILED((short) 31, false),
    INVALID_TIMESTAMP((short) 32, false),
    UNSUPPORTED_SASL_MECHANISM((short) 33, false),
    ILLEGAL_SASL_STATE((short) 34, false),
    UNSUPPORTED_VERSION((short) 35, false),
    TOPIC_ALREADY_EXISTS((short) 36, false),
    INVALID_PARTITIONS((short) 37, false),
    INVALID_REPLICATION_FACTOR((short) 38, false),
    INVALID_REPLICA_ASSIGNMENT((short) 39, false),
    INVALID_CONFIG((short) 40, false),
    NOT_CONTROLLER((short) 41, true),
    INVALID_REQUEST((short) 42, false),
    UNSUPPORTED_FOR_MESSAGE_FORMAT((short) 43, false),
    POLICY_VIOLATION((short) 44, false),
    OUT_OF_ORDER_SEQUENCE_NUMBER((short) 45, false),
    DUPLICATE_SEQUENCE_NUMBER((short) 46, false),
    INVALID_PRODUCER_EPOCH((short) 47, false),
    INVALID_TXN_STATE((short) 48, false),
    INVALID_PRODUCER_ID_MAPPING((short) 49, false),
    INVALID_TRANSACTION_TIMEOUT((short) 50, false),
    CONCURRENT_TRANSACTIONS((short) 51, true),
    TRANSACTION_COORDINATOR_FENCED((short) 52, false),
    TRANSACTIONAL_ID_AUTHORIZATION_FAILED((short) 53, false),
    SECURITY_DISABLED((short) 54, false),
    OPERATION_NOT_ATTEMPTED((short) 55, false),
    KAFKA_STORAGE_ERROR((short) 56, true),
    LOG_DIR_NOT_FOUND((short) 57, false),
    SASL_AUTHENTICATION_FAILED((short) 58, false),
    UNKNOWN_PRODUCER_ID((short) 59, false),
    REASSIGNMENT_IN_PROGRESS((short) 60, false),
    DELEGATION_TOKEN_AUTH_DISABLED((short) 61, false),
    DELEGATION_TOKEN_NOT_FOUND((short) 62, false),
    DELEGATION_TOKEN_OWNER_MISMATCH((short) 63, false),
    DELEGATION_TOKEN_REQUEST_NOT_ALLOWED((short) 64, false),
    DELEGATION_TOKEN_AUTHORIZATION_FAILED((short) 65, false),
    DELEGATION_TOKEN_EXPIRED((short) 66, false),
    INVALID_PRINCIPAL_TYPE((short) 67, false),
    NON_EMPTY_GROUP((short) 68, false),
    GROUP_ID_NOT_FOUND((short) 69, false),
    FETCH_SESSION_ID_NOT_FOUND((short) 70, true),
    INVALID_FETCH_SESSION_EPOCH((short) 71, true),
    LISTENER_NOT_FOUND((short) 72, true),
    TOPIC_DELETION_DISABLED((short) 73, false),
    FENCED_LEADER_EPOCH((short) 74, true),
    UNKNOWN_LEADER_EPOCH((short) 75, true),
    UNSUPPORTED_COMPRESSION_TYPE((short) 76, false),
    STALE_BROKER_EPOCH((short) 77, false),
    OFFSET_NOT_AVAILABLE((short) 78, true),
    MEMBER_ID_REQUIRED((short) 79, false),
    PREFERRED_LEADER_NOT_AVAILABLE((short) 80, true),
    GROUP_MAX_SIZE_REACHED((short) 81, false),
    FENCED_INSTANCE_ID((short) 82, false),
    ELIGIBLE_LEADERS_NOT_AVAILABLE((short) 83, true),
    ELECTION_NOT_NEEDED((short) 84, true),
    NO_REASSIGNMENT_IN_PROGRESS((short) 85, false),
    GROUP_SUBSCRIBED_TO_TOPIC((short) 86, false),
    INVALID_RECORD((short) 87, false),
    UNSTABLE_OFFSET_COMMIT((short) 88, true),
    THROTTLING_QUOTA_EXCEEDED((short) 89, true),
    PRODUCER_FENCED((short) 90, false),
    RESOURCE_NOT_FOUND((short) 91, false),
    DUPLICATE_RESOURCE((short) 92, false),
    UNACCEPTABLE_CREDENTIAL((short) 93, false),
    INCONSISTENT_VOTER_SET((short) 94, false),
    INVALID_UPDATE_VERSION((short) 95, false),
    FEATURE_UPDATE_FAILED((short) 96, false),
    PRINCIPAL_DESERIALIZATION_FAILURE((short) 97, false),
    SNAPSHOT_NOT_FOUND((short) 98, false),
    POSITION_OUT_OF_RANGE((short) 99, false),
    UNKNOWN_TOPIC_ID((short) 100, true),
    DUPLICATE_BROKER_REGISTRATION((short) 101, false),
    BROKER_ID_NOT_REGISTERED((short) 102, false),
    INCONSISTENT_TOPIC_ID((short) 103, true),
    INCONSISTENT_CLUSTER_ID((short) 104, false),
    TRANSACTIONAL_ID_NOT_FOUND((short) 105, false),
    FETCH_SESSION_TOPIC_ID_ERROR((short) 106, true),
    INELIGIBLE_REPLICA((short) 107, false),
    NEW_LEADER_ELECTED((short) 108, false),
    OFFSET_MOVED_TO_TIERED_STORAGE((short) 109, false),
    FENCED_MEMBER_EPOCH((short) 110, false),
    UNRELEASED_INSTANCE_ID((short) 111, false),
    UNSUPPORTED_ASSIGNOR((short) 112, false),
    STALE_MEMBER_EPOCH((short) 113, false),
    MISMATCHED_ENDPOINT_TYPE((short) 114, false),
    UNSUPPORTED_ENDPOINT_TYPE((short) 115, false),
    UNKNOWN_CONTROLLER_ID((short) 116, false),
    UNKNOWN_SUBSCRIPTION_ID((short) 117, false),
    TELEMETRY_TOO_LARGE((short) 118, false),
    INVALID_REGISTRATION((short) 119, false),
    TRANSACTION_ABORTABLE((short) 120, false),
    INVALID_RECORD_STATE((short) 121, false),
    SHARE_SESSION_NOT_FOUND((short) 122, true),
    INVALID_SHARE_SESSION_EPOCH((short) 123, true),
    FENCED_STATE_EPOCH((short) 124, false),
    INVALID_VOTER_KEY((short) 125, false),
    DUPLICATE_VOTER((short) 126, false),
    VOTER_NOT_FOUND((short) 127, false),
    INVALID_REGULAR_EXPRESSION((short) 128, false),
    REBOOTSTRAP_REQUIRED((short) 129, false),
    STREAMS_INVALID_TOPOLOGY((short) 130, false),
    STREAMS_INVALID_TOPOLOGY_EPOCH((short) 131, false),
    STREAMS_TOPOLOGY_FENCED((short) 132, false),
    SHARE_SESSION_LIMIT_REACHED((short) 133, true),
    GROUP_DELETION_FAILED((short) 134, false),
    STREAMS_TOPOLOGY_DESCRIPTION_UPDATE_FAILED((short) 135, false),
    CONTROLLER_ID_NOT_REGISTERED((short) 136, false);

    private static final Errors[] BY_CODE = new Errors[256];

    static {
        for (Errors error : values()) {
            if (error.code >= 0) {
                BY_CODE[error.code] = error;
            }
        }
    }

    /** The code on the wire. */
    public final short code;
    /** Kafka's clients retry a request that failed with this error on their own. */
    public final boolean retriable;

    Errors(short code, boolean retriable) {
        this.code = code;
        this.retriable = retriable;
    }

    /** The error with this code; {@link #UNKNOWN_SERVER_ERROR} for a code this list does not know. */
    public static Errors forCode(short code) {
        if (code >= 0 && code < BY_CODE.length && BY_CODE[code] != null) {
            return BY_CODE[code];
        }
        return UNKNOWN_SERVER_ERROR;
    }

    /** The name in words, for messages to people: {@code UNKNOWN_TOPIC_OR_PARTITION} → "unknown topic or partition". */
    public String describe() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
    }
}
