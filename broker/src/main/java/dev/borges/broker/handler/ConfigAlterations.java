package dev.borges.broker.handler;

import dev.borges.metadata.controller.ConfigResult;
import dev.borges.metadata.controller.ControllerException;
import dev.borges.metadata.record.ConfigResource;
import dev.borges.protocol.Errors;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * What {@link AlterConfigsHandler} and {@link IncrementalAlterConfigsHandler} share: the checks Kafka
 * makes before a change reaches the controller, and one answer per request resource, in request
 * order. Refused without the controller, with {@code INVALID_REQUEST}: a resource named twice in
 * one request (every occurrence), a broker resource (Borges cannot change broker configuration at
 * run time yet), any other resource type. Topic changes go to the controller in one call, which
 * checks names, values (through the broker's {@code LogConfig}) and topic existence, and commits them.
 *
 * <p>One instance per request; not thread-safe.
 *
 * @param <V> the change of one resource, as the controller takes it
 */
final class ConfigAlterations<V> {
    /** The answer for one resource of the request. */
    record Answer(byte resourceType, String resourceName, Errors error, String message) {
    }

    private final List<Answer> answers = new ArrayList<>();
    private final Map<ConfigResource, V> changes = new LinkedHashMap<>();
    private final Map<String, Integer> occurrences = new HashMap<>();

    /** A resource of the request with its change; refused here unless it is a topic. */
    void add(byte resourceType, String resourceName, V change) {
        ConfigResource.Type type = ConfigResource.Type.forId(resourceType);
        if (type == ConfigResource.Type.TOPIC) {
            count(resourceType, resourceName);
            answers.add(new Answer(resourceType, resourceName, null, null));
            changes.put(ConfigResource.topic(resourceName), change);
        } else if (type == ConfigResource.Type.BROKER) {
            refuse(resourceType, resourceName, Errors.INVALID_REQUEST, "Altering broker configurations is not supported yet: "
                + "set them in the broker's properties file (or --override) and restart");
        } else {
            refuse(resourceType, resourceName, Errors.INVALID_REQUEST, "Unsupported resource type " + resourceType
                + ": only topic configurations can be altered");
        }
    }

    /** A resource of the request answered with {@code error} without asking the controller. */
    void refuse(byte resourceType, String resourceName, Errors error, String message) {
        count(resourceType, resourceName);
        answers.add(new Answer(resourceType, resourceName, error, message));
    }

    /** Sends the topic changes to the controller (if any) and answers every resource in request order. */
    CompletableFuture<List<Answer>> submit(Function<Map<ConfigResource, V>, CompletableFuture<List<ConfigResult>>> controller) {
        for (int i = 0; i < answers.size(); i++) {
            Answer answer = answers.get(i);
            if (occurrences.get(key(answer.resourceType(), answer.resourceName())) > 1) {
                answers.set(i, new Answer(answer.resourceType(), answer.resourceName(), Errors.INVALID_REQUEST,
                    "Each resource may appear at most once in a request"));
                changes.remove(ConfigResource.topic(answer.resourceName()));
            }
        }
        if (changes.isEmpty()) {
            return CompletableFuture.completedFuture(answers);
        }
        return controller.apply(changes).handle((results, failure) -> {
            Map<ConfigResource, ConfigResult> byResource = new HashMap<>();
            if (results != null) {
                results.forEach(result -> byResource.put(result.resource(), result));
            }
            ControllerException whole = failure == null ? null : HandlerErrors.fromController(failure, "a config change");
            List<Answer> all = new ArrayList<>(answers.size());
            for (Answer answer : answers) {
                if (answer.error() != null) {
                    all.add(answer);
                    continue;
                }
                ConfigResult result = byResource.get(ConfigResource.topic(answer.resourceName()));
                all.add(whole != null ? new Answer(answer.resourceType(), answer.resourceName(), whole.error(), whole.getMessage())
                    : result == null ? new Answer(answer.resourceType(), answer.resourceName(), Errors.UNKNOWN_SERVER_ERROR, "No result")
                    : new Answer(answer.resourceType(), answer.resourceName(), result.error(), result.errorMessage()));
            }
            return all;
        });
    }

    private void count(byte resourceType, String resourceName) {
        occurrences.merge(key(resourceType, resourceName), 1, Integer::sum);
    }

    private static String key(byte resourceType, String resourceName) {
        return resourceType + ":" + resourceName;
    }
}
