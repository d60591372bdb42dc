package dev.borges.metadata.controller;

import dev.borges.metadata.image.MetadataDelta;
import dev.borges.metadata.image.MetadataImage;
import dev.borges.metadata.image.MetadataReplayException;
import dev.borges.metadata.record.MalformedMetadataRecordException;
import dev.borges.metadata.record.MetadataRecord;
import dev.borges.metadata.record.MetadataRecordSerde;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.ratis.io.MD5Hash;
import org.apache.ratis.proto.RaftProtos.LogEntryProto;
import org.apache.ratis.protocol.Message;
import org.apache.ratis.protocol.RaftGroupId;
import org.apache.ratis.server.RaftServer;
import org.apache.ratis.server.protocol.TermIndex;
import org.apache.ratis.server.raftlog.RaftLog;
import org.apache.ratis.server.storage.FileInfo;
import org.apache.ratis.server.storage.RaftStorage;
import org.apache.ratis.statemachine.StateMachineStorage;
import org.apache.ratis.statemachine.TransactionContext;
import org.apache.ratis.statemachine.impl.BaseStateMachine;
import org.apache.ratis.statemachine.impl.SimpleStateMachineStorage;
import org.apache.ratis.statemachine.impl.SingleFileSnapshotInfo;
import org.apache.ratis.thirdparty.com.google.protobuf.ByteString;
import org.apache.ratis.util.MD5FileUtil;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ratis state machine of the metadata log: each committed entry is one batch of metadata
 * records ({@link MetadataRecordSerde}), replayed into a {@link MetadataDelta} on the current image;
 * the new image is published and listeners are told, in commit order.
 *
 * <p><b>Atomic batches.</b> A batch that does not decode or does not replay (a bug or a damaged log:
 * the controller validates before writing) is skipped whole and logged; the image stays as it was,
 * the same way on every replay, and the reply says "rejected".
 *
 * <p><b>Snapshots.</b> {@link #takeSnapshot()} writes the image as records
 * ({@link ImageSnapshotFile}) under Ratis' {@code sm/} directory; {@link #initialize} and
 * {@link #reinitialize()} load the newest snapshot, after which Ratis replays the log entries that
 * follow it. So restart = snapshot + log tail = the same image.
 *
 * <p><b>Threading.</b> Ratis calls {@code applyTransaction} and {@code takeSnapshot} on its one
 * state machine updater thread, so replay, snapshots and listener calls are serial. {@link #image()}
 * is a volatile read, safe from any thread. Listener registration takes the same lock as
 * publication, so a new listener's first delta and the following ones never overlap or miss.
 *
 * <p>Reply message: byte 0 = applied; byte 1 followed by UTF-8 text = rejected.
 */
final class MetadataStateMachine extends BaseStateMachine {
    private static final Logger LOG = LoggerFactory.getLogger(MetadataStateMachine.class);
    static final byte APPLIED = 0;
    static final byte REJECTED = 1;

    private final SimpleStateMachineStorage storage = new SimpleStateMachineStorage();
    private final List<MetadataListener> listeners = new CopyOnWriteArrayList<>();
    private final Object publishLock = new Object();
    private final CompletableFuture<Void> leaderReady = new CompletableFuture<>();
    private volatile MetadataImage image = MetadataImage.EMPTY;

    MetadataImage image() {
        return image;
    }

    /** Completes when this node leads and has applied every entry committed before its term began. */
    CompletableFuture<Void> leaderReady() {
        return leaderReady;
    }

    void register(MetadataListener listener) {
        synchronized (publishLock) {
            listeners.add(listener);
            MetadataImage current = image;
            if (!current.isEmpty()) {
                notify(listener, MetadataDelta.fromEmpty(current), current);
            }
        }
    }

    void unregister(MetadataListener listener) {
        listeners.remove(listener);
    }

    @Override
    public void initialize(RaftServer server, RaftGroupId groupId, RaftStorage raftStorage) throws IOException {
        super.initialize(server, groupId, raftStorage);
        storage.init(raftStorage);
        loadSnapshot(storage.getLatestSnapshot());
    }

    @Override
    public void reinitialize() throws IOException {
        loadSnapshot(storage.loadLatestSnapshot());
    }

    private void loadSnapshot(SingleFileSnapshotInfo snapshot) throws IOException {
        if (snapshot == null) {
            return;
        }
        MetadataImage loaded = ImageSnapshotFile.read(snapshot.getFile().getPath());
        publish(MetadataDelta.fromEmpty(loaded), loaded);
        setLastAppliedTermIndex(snapshot.getTermIndex());
        LOG.info("Loaded metadata snapshot at {} ({} topics)", snapshot.getTermIndex(), loaded.topics().size());
    }

    @Override
    public StateMachineStorage getStateMachineStorage() {
        return storage;
    }

    @Override
    public SingleFileSnapshotInfo getLatestSnapshot() {
        return storage.getLatestSnapshot();
    }

    @Override
    public CompletableFuture<Message> applyTransaction(TransactionContext trx) {
        LogEntryProto entry = trx.getLogEntry();
        ByteString data = trx.getStateMachineLogEntry().getLogData();
        Message reply;
        try {
            List<MetadataRecord> records = MetadataRecordSerde.decodeBatch(data.asReadOnlyByteBuffer());
            if (!records.isEmpty()) {
                MetadataDelta delta = new MetadataDelta(image);
                delta.replayAll(records);
                publish(delta, delta.apply());
            }
            reply = Message.valueOf(ByteString.copyFrom(new byte[] {APPLIED}));
        } catch (MalformedMetadataRecordException | MetadataReplayException e) {
            LOG.error("Skipping metadata log entry {}: {}", TermIndex.valueOf(entry), e.getMessage());
            byte[] text = String.valueOf(e.getMessage()).getBytes(StandardCharsets.UTF_8);
            reply = Message.valueOf(ByteString.copyFrom(new byte[] {REJECTED}).concat(ByteString.copyFrom(text)));
        }
        updateLastAppliedTermIndex(entry.getTerm(), entry.getIndex());
        return CompletableFuture.completedFuture(reply);
    }

    private void publish(MetadataDelta delta, MetadataImage newImage) {
        synchronized (publishLock) {
            image = newImage;
            for (MetadataListener listener : listeners) {
                notify(listener, delta, newImage);
            }
        }
    }

    private static void notify(MetadataListener listener, MetadataDelta delta, MetadataImage newImage) {
        try {
            listener.onMetadataUpdate(delta, newImage);
        } catch (RuntimeException e) {
            LOG.error("Metadata listener {} failed", listener, e);
        }
    }

    @Override
    public long takeSnapshot() throws IOException {
        // On the updater thread: image and last applied index belong together.
        TermIndex last = getLastAppliedTermIndex();
        if (last == null || last.getIndex() < 0) {
            return RaftLog.INVALID_LOG_INDEX;
        }
        File file = storage.getSnapshotFile(last.getTerm(), last.getIndex());
        ImageSnapshotFile.write(image, file.toPath());
        MD5Hash md5 = MD5FileUtil.computeAndSaveMd5ForFile(file);
        storage.updateLatestSnapshot(new SingleFileSnapshotInfo(new FileInfo(file.toPath(), md5), last));
        LOG.debug("Took metadata snapshot at {}", last);
        return last.getIndex();
    }

    @Override
    public void notifyLeaderReady() {
        leaderReady.complete(null);
    }
}
