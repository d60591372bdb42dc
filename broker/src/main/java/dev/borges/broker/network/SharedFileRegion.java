package dev.borges.broker.network;

import io.netty.channel.DefaultFileRegion;
import java.nio.channels.FileChannel;

/**
 * A {@link DefaultFileRegion} over a log segment's channel that does not close the channel when
 * released. Netty releases a region once written and {@code DefaultFileRegion} then closes its file;
 * but the channel belongs to the log segment ({@code FileRecords}), which keeps serving appends and
 * other fetches. Being a {@code DefaultFileRegion}, it is still sent with {@code sendfile(2)} by
 * the epoll transport and with {@code FileChannel.transferTo} by NIO.
 */
final class SharedFileRegion extends DefaultFileRegion {

    SharedFileRegion(FileChannel channel, long position, long count) {
        super(channel, position, count);
    }

    @Override
    protected void deallocate() {
        // The log segment owns the channel and closes it; the region only borrows it.
    }
}
