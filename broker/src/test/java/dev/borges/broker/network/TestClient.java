package dev.borges.broker.network;

import dev.borges.protocol.ApiKey;
import dev.borges.protocol.RequestHeader;
import dev.borges.protocol.Response;
import dev.borges.protocol.ResponseCodec;
import dev.borges.protocol.types.ApiMessage;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;

/** A blocking Kafka protocol client over a plain socket: frames out, frames in. Not thread-safe. */
final class TestClient implements AutoCloseable {
    private static final int TIMEOUT_MS = 10_000;

    private final Socket socket;
    private final DataInputStream in;
    private final OutputStream out;

    TestClient(InetSocketAddress address) throws IOException {
        socket = new Socket();
        socket.connect(address, TIMEOUT_MS);
        socket.setSoTimeout(TIMEOUT_MS);
        socket.setTcpNoDelay(true);
        in = new DataInputStream(socket.getInputStream());
        out = socket.getOutputStream();
    }

    void send(ByteBuffer frame) throws IOException {
        byte[] bytes = new byte[frame.remaining()];
        frame.duplicate().get(bytes);
        out.write(bytes);
        out.flush();
    }

    void send(RequestHeader header, ApiMessage body) throws IOException {
        send(TestFrames.requestFrame(header, body));
    }

    /** The next frame's payload, without its size prefix. */
    ByteBuffer readFrame() throws IOException {
        int size = in.readInt();
        byte[] payload = new byte[size];
        in.readFully(payload);
        return ByteBuffer.wrap(payload);
    }

    Response readResponse(ApiKey apiKey, int version) throws IOException {
        return ResponseCodec.decode(readFrame(), apiKey, (short) version);
    }

    /** Whether the server has closed the connection: the next read finds the end of the stream. */
    boolean closedByServer() throws IOException {
        try {
            return in.read() < 0;
        } catch (SocketTimeoutException e) {
            return false;
        } catch (IOException e) {
            if (e instanceof EOFException || String.valueOf(e.getMessage()).contains("reset")) {
                return true;
            }
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
