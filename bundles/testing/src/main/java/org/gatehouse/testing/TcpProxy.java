package org.gatehouse.testing;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP forwarder between a test's client and a server (a database), that the test can cut - new connections
 * refused, open ones broken, as a database that went away - and open again on the same port, without touching the
 * server itself.
 * <p>
 * {@link #TcpProxy(String, int)} listens at once on a free loopback port ({@link #port()});
 * {@link #TcpProxy(int, String, int)} listens on {@code localhost:port} from {@link #open()} on (a port chosen
 * before the client is configured). {@link #restore()} is {@link #open()}.
 */
public final class TcpProxy implements AutoCloseable {
    private final String targetHost;
    private final int targetPort;
    private final InetAddress bindAddress;
    private final Set<Socket> sockets = ConcurrentHashMap.newKeySet();
    private volatile ServerSocket server;
    private volatile int port;

    /** Listening now, on a free loopback port. */
    public TcpProxy(String targetHost, int targetPort) throws IOException {
        this(0, InetAddress.getLoopbackAddress(), targetHost, targetPort);
        open();
    }

    /** Listening on {@code localhost:port} once {@link #open()} is called. */
    public TcpProxy(int port, String targetHost, int targetPort) {
        this(port, null, targetHost, targetPort);
    }

    private TcpProxy(int port, InetAddress bindAddress, String targetHost, int targetPort) {
        this.port = port;
        this.bindAddress = bindAddress;
        this.targetHost = targetHost;
        this.targetPort = targetPort;
    }

    /** The port it listens on (the free port found, once listening, when none was given). */
    public int port() {
        return port;
    }

    /** Starts listening (again) on the port; nothing when it listens already. */
    public synchronized void open() throws IOException {
        if (server != null) {
            return;
        }
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(bindAddress == null ? new InetSocketAddress("localhost", port)
                : new InetSocketAddress(bindAddress, port));
        port = socket.getLocalPort();
        server = socket;
        Thread acceptor = new Thread(() -> accept(socket), "tcp-proxy-accept-" + port);
        acceptor.setDaemon(true);
        acceptor.start();
    }

    /** {@link #open()}: the database is back. */
    public void restore() throws IOException {
        open();
    }

    /** Refuses new connections and breaks the open ones, as a database that went away. */
    public synchronized void cut() throws IOException {
        ServerSocket current = server;
        server = null;
        if (current != null) {
            current.close();
        }
        for (Socket socket : sockets) {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already closed
            }
        }
        sockets.clear();
    }

    @Override
    public void close() throws IOException {
        cut();
    }

    private void accept(ServerSocket listening) {
        while (!listening.isClosed()) {
            try {
                Socket client = listening.accept();
                Socket upstream = new Socket(targetHost, targetPort);
                synchronized (this) {
                    if (server != listening) {
                        // cut while this connection was being set up: it must not survive the cut
                        client.close();
                        upstream.close();
                        return;
                    }
                    sockets.add(client);
                    sockets.add(upstream);
                }
                pump(client, upstream);
                pump(upstream, client);
            } catch (IOException e) {
                return;
            }
        }
    }

    private void pump(Socket from, Socket to) {
        Thread thread = new Thread(() -> {
            byte[] buffer = new byte[16384];
            try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
                int n;
                while ((n = in.read(buffer)) >= 0) {
                    out.write(buffer, 0, n);
                    out.flush();
                }
            } catch (IOException ignored) {
                // connection cut, or one side closed: close both
            } finally {
                try {
                    from.close();
                    to.close();
                } catch (IOException ignored) {
                    // closing anyway
                }
                sockets.remove(from);
                sockets.remove(to);
            }
        }, "tcp-proxy-pump");
        thread.setDaemon(true);
        thread.start();
    }
}
