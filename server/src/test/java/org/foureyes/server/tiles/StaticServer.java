package org.foureyes.server.tiles;

import java.io.IOException;
import java.net.Socket;
import java.nio.file.Path;
import org.foureyes.server.AppTestSupport;

/** {@code python3 -m http.server} over a directory: a plain static file server, as a mirror would use. */
final class StaticServer {
    private StaticServer() {
    }

    static Process start(Path dir) throws IOException, InterruptedException {
        int port = AppTestSupport.freePort();
        Process p = new ProcessBuilder("python3", "-m", "http.server", Integer.toString(port), "--bind", "127.0.0.1",
                "--directory", dir.toString()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        for (int i = 0; i < 100; i++) {
            try (Socket s = new Socket("127.0.0.1", port)) {
                return withPort(p, port);
            } catch (IOException e) {
                Thread.sleep(100);
            }
        }
        p.destroy();
        throw new IOException("python3 -m http.server did not start on port " + port);
    }

    private static final java.util.Map<Process, Integer> PORTS = new java.util.concurrent.ConcurrentHashMap<>();

    private static Process withPort(Process p, int port) {
        PORTS.put(p, port);
        return p;
    }

    static String url(Process p) {
        return "http://127.0.0.1:" + PORTS.get(p) + "/";
    }

    static void stop(Process p) throws InterruptedException {
        PORTS.remove(p);
        p.destroy();
        p.waitFor();
    }
}
