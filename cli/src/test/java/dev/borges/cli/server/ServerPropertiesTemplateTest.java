package dev.borges.cli.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.borges.broker.config.BrokerConfig;
import dev.borges.storage.config.ConfigKey;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerPropertiesTemplateTest {
    @Test
    void documentsEveryBrokerKeyWithItsDefault() {
        String text = ServerPropertiesTemplate.text();
        for (ConfigKey key : BrokerConfig.KEYS) {
            if (!key.name().equals(BrokerConfig.LOG_DIR)) {
                assertThat(text).as(key.name()).containsPattern("(?m)^#?" + java.util.regex.Pattern.quote(key.name()) + "=");
                assertThat(text).contains("# " + key.doc());
            }
        }
    }

    @Test
    void activeSettingsAreTheDefaultsSoTheFileChangesNothing() throws Exception {
        Properties properties = new Properties();
        properties.load(new StringReader(ServerPropertiesTemplate.text()));
        assertThat(properties.stringPropertyNames()).containsExactlyInAnyOrder("node.id", "listeners", "log.dirs", "num.partitions");
        BrokerConfig defaults = BrokerConfig.defaults();
        for (String name : properties.stringPropertyNames()) {
            assertThat(properties.getProperty(name)).as(name).isEqualTo(defaults.valueText(name).orElseThrow());
        }
    }

    @Test
    void uncommentingEveryLineStillMakesAValidConfig(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("config/server.properties");
        ServerPropertiesTemplate.main(new String[] {file.toString()});
        String uncommented = Files.readString(file).replaceAll("(?m)^#([a-z][a-z0-9.]*=)", "$1");
        Path all = dir.resolve("all.properties");
        Files.writeString(all, uncommented);
        BrokerConfig config = BrokerConfig.load(all, Map.of());
        assertThat(config.unknownKeys()).isEmpty();
        assertThat(config.nodeId()).isEqualTo(1);
    }
}
