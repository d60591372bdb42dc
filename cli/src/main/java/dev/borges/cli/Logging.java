package dev.borges.cli;

/**
 * Chooses the logging of a run before the first logger exists. The server logs through the broker's
 * {@code logback.xml}; every other command through {@code borges-client-logback.xml}, whose levels
 * come from system properties set here: by default the Kafka client is silent (the command reports
 * failures itself) and the rest logs warnings; {@code -v} shows info, {@code -vv} debug.
 *
 * <p>Logback reads its configuration when the first logger is created (when a Kafka client class
 * loads), so both methods must run before that; they are called from the main thread only.
 */
final class Logging {
    private static final String CONFIGURATION_FILE = "logback.configurationFile";

    private Logging() {
    }

    /** Client commands log through their own configuration (server commands keep the broker's). */
    static void useClientConfiguration() {
        if (System.getProperty(CONFIGURATION_FILE) == null) {
            System.setProperty(CONFIGURATION_FILE, "borges-client-logback.xml");
        }
    }

    /** Levels for {@code verbosity} {@code -v} flags. */
    static void verbosity(int verbosity) {
        String level = switch (verbosity) {
            case 0 -> null;
            case 1 -> "INFO";
            default -> "DEBUG";
        };
        if (level != null) {
            System.setProperty("borges.log.level", level);
            System.setProperty("borges.kafka.log.level", level);
        }
    }
}
