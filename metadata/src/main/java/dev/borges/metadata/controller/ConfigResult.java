package dev.borges.metadata.controller;

import dev.borges.metadata.record.ConfigResource;
import dev.borges.protocol.Errors;

/** The outcome for one resource of an alterConfigs or incrementalAlterConfigs call. */
public record ConfigResult(ConfigResource resource, Errors error, String errorMessage) {
    static ConfigResult ok(ConfigResource resource) {
        return new ConfigResult(resource, Errors.NONE, null);
    }
}
