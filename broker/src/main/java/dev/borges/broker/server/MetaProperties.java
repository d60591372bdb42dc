package dev.borges.broker.server;

import dev.borges.protocol.Errors;
import dev.borges.protocol.types.Uuid;
import dev.borges.storage.StorageException;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Properties;

/**
 * {@code meta.properties} in the log directory, as Kafka keeps it: the cluster id (created on the
 * first start), the node id, and the format version. A directory written by another node is
 * refused rather than silently adopted.
 *
 * <pre>
 * version=1
 * cluster.id=&lt;22-character base64 uuid&gt;
 * node.id=&lt;id&gt;
 * </pre>
 */
public record MetaProperties(String clusterId, int nodeId) {
    public static final String FILE_NAME = "meta.properties";

    /** Reads the directory's identity, creating it for a new directory. */
    public static MetaProperties loadOrCreate(Path logDir, int nodeId) {
        Path file = logDir.resolve(FILE_NAME);
        try {
            Files.createDirectories(logDir);
            if (Files.exists(file)) {
                Properties properties = new Properties();
                try (Reader reader = Files.newBufferedReader(file)) {
                    properties.load(reader);
                }
                String clusterId = properties.getProperty("cluster.id");
                String storedNode = properties.getProperty("node.id");
                if (clusterId == null || storedNode == null) {
                    throw new StorageException(Errors.KAFKA_STORAGE_ERROR, file + " lacks cluster.id or node.id");
                }
                if (Integer.parseInt(storedNode.trim()) != nodeId) {
                    throw new StorageException(Errors.KAFKA_STORAGE_ERROR, "Log directory " + logDir + " belongs to node "
                        + storedNode.trim() + ", not to node " + nodeId + " (see " + file + ")");
                }
                return new MetaProperties(clusterId.trim(), nodeId);
            }
            MetaProperties created = new MetaProperties(Uuid.randomUuid().toString(), nodeId);
            Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
            try (Writer writer = Files.newBufferedWriter(tmp)) {
                writer.write("version=1\ncluster.id=" + created.clusterId + "\nnode.id=" + nodeId + "\n");
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            return created;
        } catch (IOException | NumberFormatException e) {
            throw new StorageException(Errors.KAFKA_STORAGE_ERROR, "Cannot read or write " + file + ": " + e, e);
        }
    }
}
