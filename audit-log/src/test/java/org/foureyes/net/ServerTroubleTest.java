package org.foureyes.net;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.foureyes.agent.HostClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The sentences the clients give when the server cannot be used, through the agent's HostClient. */
class ServerTroubleTest {
    private HttpServer server;

    @AfterEach
    void stop() {
        if (server != null) {
            server.stop(0);
        }
    }

    /** A web server that answers 404 HTML everywhere, and "pong" at /ping if {@code admin}. */
    private URI webServer(boolean admin) throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        server.createContext("/", x -> {
            boolean ping = admin && x.getRequestURI().getPath().equals("/ping");
            byte[] body = (ping ? "pong\n" : "<html><body>Error 404 Not Found</body></html>")
                    .getBytes(StandardCharsets.UTF_8);
            x.getResponseHeaders().set("Content-Type", ping ? "text/plain" : "text/html;charset=iso-8859-1");
            x.sendResponseHeaders(ping ? 200 : 404, body.length);
            x.getResponseBody().write(body);
            x.close();
        });
        server.start();
        return URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    @Test
    void release_connectionRefused_saysCannotReachAndIsTheServerRunning() throws Exception {
        URI dead = URI.create("http://127.0.0.1:" + freePort());
        HostClient host = new HostClient(dead, Duration.ofSeconds(5));
        assertThatThrownBy(() -> host.release("relay", 0, null)).isInstanceOf(IOException.class)
                .hasMessage("cannot reach " + dead + ": connection refused by 127.0.0.1:" + dead.getPort()
                        + " (nothing listens there); is the server running?");
    }

    @Test
    void release_unknownHost_saysUnknownHost() {
        HostClient host = new HostClient(URI.create("http://no-such-host.invalid:8080"), Duration.ofSeconds(5));
        assertThatThrownBy(() -> host.release("relay", 0, null)).isInstanceOf(IOException.class)
                .hasMessageContaining("unknown host no-such-host.invalid");
    }

    @Test
    void release_adminPort_saysThisLooksLikeTheAdminPort() throws Exception {
        URI admin = webServer(true);
        HostClient host = new HostClient(admin, Duration.ofSeconds(5));
        assertThatThrownBy(() -> host.release("relay", 0, null)).isInstanceOf(IOException.class)
                .hasMessageContaining("answered 404 with an HTML page")
                .hasMessageContaining("this looks like the server's admin port; the API is on the application port");
    }

    @Test
    void release_otherWebServer_saysThisIsNotTheFoureyesApi() throws Exception {
        URI other = webServer(false);
        HostClient host = new HostClient(other, Duration.ofSeconds(5));
        assertThatThrownBy(() -> host.release("relay", 0, null)).isInstanceOf(IOException.class)
                .hasMessageContaining("this is not the foureyes API");
    }

    @Test
    void serverUrl_hostAndPortWithoutScheme_suggestsHttp() {
        assertThatThrownBy(() -> ServerTrouble.serverUrl("127.0.0.1:8080", "--url"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("--url 127.0.0.1:8080 has no scheme; did you mean http://127.0.0.1:8080 ?");
        assertThatThrownBy(() -> ServerTrouble.serverUrl("localhost:8080", "--url"))
                .hasMessage("--url localhost:8080 has no scheme; did you mean http://localhost:8080 ?");
    }

    @Test
    void serverUrl_httpUrl_isAccepted() {
        assertThat(ServerTrouble.serverUrl(" https://foureyes.example/base ", "--url"))
                .isEqualTo(URI.create("https://foureyes.example/base"));
    }
}
