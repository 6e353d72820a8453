package org.foureyes.witness;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The witness's HTTP front: {@code POST /add-checkpoint} (C2SP tlog-witness) on the JDK's
 * {@link HttpServer}, no framework. Anything else is 404 (other paths) or 405 (other methods).
 */
public final class WitnessServer implements AutoCloseable {
    private final HttpServer server;
    private final ExecutorService pool;
    private final Witness witness;

    private WitnessServer(HttpServer server, ExecutorService pool, Witness witness) {
        this.server = server;
        this.pool = pool;
        this.witness = witness;
    }

    /** Starts serving {@code witness} on {@code address} (port 0: any free port). */
    public static WitnessServer start(Witness witness, InetSocketAddress address) throws IOException {
        HttpServer server = HttpServer.create(address, 64);
        ExecutorService pool = Executors.newFixedThreadPool(4, r -> {
            Thread t = new Thread(r, "witness-http");
            t.setDaemon(true);
            return t;
        });
        WitnessServer ws = new WitnessServer(server, pool, witness);
        server.createContext("/", ws::handle);
        server.setExecutor(pool);
        server.start();
        return ws;
    }

    /** The address it listens on (with the actual port). */
    public InetSocketAddress address() {
        return server.getAddress();
    }

    /** The submission prefix: {@code http://host:port} (the client appends /add-checkpoint). */
    public String url() {
        InetSocketAddress a = address();
        String host = a.getAddress().isAnyLocalAddress() ? "127.0.0.1" : a.getAddress().getHostAddress();
        if (host.contains(":")) {
            host = "[" + host + "]";
        }
        return "http://" + host + ":" + a.getPort();
    }

    public Witness witness() {
        return witness;
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            Witness.Response r;
            if (!ex.getRequestURI().getPath().equals("/add-checkpoint")) {
                r = Witness.Response.error(404, "not found: this witness serves POST /add-checkpoint");
            } else if (!ex.getRequestMethod().equals("POST")) {
                ex.getResponseHeaders().set("Allow", "POST");
                r = Witness.Response.error(405, "use POST");
            } else {
                byte[] body;
                try (InputStream in = ex.getRequestBody()) {
                    body = in.readNBytes(Witness.MAX_BODY_BYTES + 1);
                }
                r = witness.addCheckpoint(body);
            }
            byte[] out = r.body().getBytes(StandardCharsets.UTF_8);
            ex.getResponseHeaders().set("Content-Type", r.contentType());
            ex.getResponseHeaders().set("Cache-Control", "no-store");
            ex.sendResponseHeaders(r.status(), out.length);
            try (OutputStream os = ex.getResponseBody()) {
                os.write(out);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        pool.shutdown();
        try {
            pool.awaitTermination(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
