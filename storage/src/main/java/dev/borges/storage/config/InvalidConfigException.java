package dev.borges.storage.config;

import dev.borges.protocol.Errors;
import dev.borges.storage.StorageException;

/** An unknown configuration key or a value it does not accept; Kafka's {@code INVALID_CONFIG}. */
public class InvalidConfigException extends StorageException {
    private static final long serialVersionUID = 1L;

    public InvalidConfigException(String message) {
        super(Errors.INVALID_CONFIG, message);
    }
}
