package org.foureyes.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.junit5.DropwizardAppExtension;
import jakarta.ws.rs.core.Response;
import java.nio.file.Path;
import org.foureyes.server.db.TestDatabase;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class HealthCheckAppTest {
    private static final Path DATA = AppTestSupport.tempDir("foureyes-health");
    private static TestDatabase db;
    private static DropwizardAppExtension<FoureyesConfiguration> app;

    @BeforeAll
    static void start() throws Exception {
        db = TestDatabase.sqlite(DATA.resolve("foureyes.db"));
        app = AppTestSupport.app(db, DATA);
        app.before();
    }

    @AfterAll
    static void stop() throws Exception {
        app.after();
        db.close();
    }

    @Test
    void healthcheck_freshDataDirectory_reportsHealthy() {
        Response response = app.client()
                .target("http://localhost:" + app.getAdminPort() + "/healthcheck")
                .request()
                .get();
        String body = response.readEntity(String.class);
        assertThat(response.getStatus()).as(body).isEqualTo(200);
        assertThat(body).contains("\"dataDir\"").contains("\"database\"").contains("\"logAppender\"")
                .contains("\"logKey\"").doesNotContain("\"healthy\":false");
        assertThat(DATA.resolve("foureyes.db")).exists();
        assertThat(DATA.resolve("log.key")).exists();
    }
}
