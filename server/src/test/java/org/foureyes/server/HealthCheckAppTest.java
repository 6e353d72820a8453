package org.foureyes.server;

import static org.assertj.core.api.Assertions.assertThat;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import io.dropwizard.testing.junit5.DropwizardExtensionsSupport;
import jakarta.ws.rs.core.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(DropwizardExtensionsSupport.class)
class HealthCheckAppTest {
    private static final Path DATA = tempDir();

    static final DropwizardAppExtension<FoureyesConfiguration> APP = new DropwizardAppExtension<>(
            FoureyesApplication.class,
            ResourceHelpers.resourceFilePath("test-config.yml"),
            ConfigOverride.config("dataDir", DATA.toString()),
            ConfigOverride.config("database.url", "jdbc:sqlite:" + DATA.resolve("foureyes.db")));

    private static Path tempDir() {
        try {
            return Files.createTempDirectory("foureyes-health");
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void healthcheck_freshDataDirectory_reportsHealthy() {
        Response response = APP.client()
                .target("http://localhost:" + APP.getAdminPort() + "/healthcheck")
                .request()
                .get();
        String body = response.readEntity(String.class);
        assertThat(response.getStatus()).as(body).isEqualTo(200);
        assertThat(body).contains("\"dataDir\"").contains("\"database\"").contains("\"healthy\":true");
        assertThat(DATA.resolve("foureyes.db")).exists();
    }
}
