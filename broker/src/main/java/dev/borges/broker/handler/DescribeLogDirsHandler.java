package dev.borges.broker.handler;

import dev.borges.protocol.ApiKey;
import dev.borges.protocol.Errors;
import dev.borges.protocol.RequestHeader;
import dev.borges.protocol.message.DescribeLogDirsRequestData;
import dev.borges.protocol.message.DescribeLogDirsResponseData;
import dev.borges.storage.TopicPartition;
import dev.borges.storage.log.PartitionLog;
import dev.borges.storage.manager.LogManager;
import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.Files;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DescribeLogDirs (the Admin client's {@code describeLogDirs()} and {@code describeReplicaLogDirs()}):
 * the broker's log directory (one today: the first of {@code log.dirs}) with the size on disk of each
 * partition's log ({@link PartitionLog#size()}), an offset lag of 0 (every log here is a leader's
 * current log, never a "future" replica being moved) and, from version 4, the directory's file store
 * total and usable bytes. Topics null asks for every partition; otherwise the listed partitions this
 * directory holds are answered and others left out, as Kafka does. A file store that cannot be read
 * leaves the byte counts at -1. Stateless; reads the log manager's live logs.
 */
public final class DescribeLogDirsHandler implements ApiHandler<DescribeLogDirsRequestData, DescribeLogDirsResponseData> {
    private static final Logger LOG = LoggerFactory.getLogger(DescribeLogDirsHandler.class);

    private final LogManager logManager;

    public DescribeLogDirsHandler(LogManager logManager) {
        this.logManager = logManager;
    }

    @Override
    public ApiKey apiKey() {
        return ApiKey.DESCRIBE_LOG_DIRS;
    }

    @Override
    public CompletableFuture<DescribeLogDirsResponseData> handle(RequestHeader header, DescribeLogDirsRequestData request) {
        Set<TopicPartition> wanted = null;
        if (request.topics() != null) {
            wanted = new HashSet<>();
            for (DescribeLogDirsRequestData.DescribableLogDirTopic topic : request.topics()) {
                for (int partition : topic.partitions()) {
                    wanted.add(new TopicPartition(topic.topic(), partition));
                }
            }
        }
        Map<String, Map<Integer, PartitionLog>> byTopic = new TreeMap<>();
        for (PartitionLog log : logManager.logs()) {
            TopicPartition tp = log.topicPartition();
            if (wanted == null || wanted.contains(tp)) {
                byTopic.computeIfAbsent(tp.topic(), t -> new TreeMap<>()).put(tp.partition(), log);
            }
        }
        DescribeLogDirsResponseData.DescribeLogDirsResult dir = new DescribeLogDirsResponseData.DescribeLogDirsResult()
            .setErrorCode(Errors.NONE.code)
            .setLogDir(logManager.logDir().toAbsolutePath().toString());
        byTopic.forEach((topic, logs) -> {
            DescribeLogDirsResponseData.DescribeLogDirsTopic result = new DescribeLogDirsResponseData.DescribeLogDirsTopic().setName(topic);
            logs.forEach((partition, log) -> result.partitions().add(new DescribeLogDirsResponseData.DescribeLogDirsPartition()
                .setPartitionIndex(partition)
                .setPartitionSize(log.size())
                .setOffsetLag(0)
                .setIsFutureKey(false)));
            dir.topics().add(result);
        });
        if (header.apiVersion() >= 4) {
            try {
                FileStore store = Files.getFileStore(logManager.logDir());
                dir.setTotalBytes(store.getTotalSpace()).setUsableBytes(store.getUsableSpace());
            } catch (IOException e) {
                LOG.warn("Cannot read the file store of {}: {}", logManager.logDir(), e.toString());
            }
        }
        DescribeLogDirsResponseData response = new DescribeLogDirsResponseData().setErrorCode(Errors.NONE.code);
        response.results().add(dir);
        return CompletableFuture.completedFuture(response);
    }
}
