package dev.borges.metadata.controller;

import dev.borges.metadata.record.ConfigResource;
import java.util.Map;
import java.util.Optional;

/**
 * Checks config values before the controller commits them. The controller knows config
 * <em>names</em> (it rejects unknown topic configs) but not their types or ranges: those belong to
 * the broker's and storage's config classes, which the broker injects here. Called on the controller
 * thread with the resource's complete overrides as they would be after the change.
 */
@FunctionalInterface
public interface ConfigValidator {
    /** Accepts everything. */
    ConfigValidator ACCEPT_ALL = (resource, configs) -> Optional.empty();

    /** Empty when {@code configs} are valid for {@code resource}; else a message for the client (INVALID_CONFIG). */
    Optional<String> validate(ConfigResource resource, Map<String, String> configs);
}
