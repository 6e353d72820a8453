package org.foureyes.server.resources;

import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.foureyes.server.AppTestSupport;
import org.foureyes.server.FoureyesConfiguration;
import org.foureyes.server.TestApp;
import org.foureyes.server.db.TestDatabase;

/** The service for the HTTP hardening tests: public or private log, on its own SQLite database. */
final class HttpTestApps {
    private HttpTestApps() {
    }

    static DropwizardAppExtension<FoureyesConfiguration> app(TestDatabase db, String name, boolean publicLog,
            ConfigOverride... extra) {
        Path data = AppTestSupport.tempDir("foureyes-" + name);
        List<ConfigOverride> o = new ArrayList<>(List.of(
                ConfigOverride.config("dataDir", data.toString()),
                ConfigOverride.config("policyFile", AppTestSupport.policyFile().toString()),
                ConfigOverride.config("log.origin", AppTestSupport.ORIGIN),
                ConfigOverride.config("log.keyFile", data.resolve("log.key").toString()),
                ConfigOverride.config("log.public", Boolean.toString(publicLog)),
                ConfigOverride.config("database.driverClass", db.driverClass()),
                ConfigOverride.config("database.url", db.url())));
        o.addAll(List.of(extra));
        return new DropwizardAppExtension<>(TestApp.class, ResourceHelpers.resourceFilePath("test-config.yml"),
                o.toArray(ConfigOverride[]::new));
    }
}
