package org.foureyes.server.resources;

import static org.assertj.core.api.Assertions.assertThat;
import static org.foureyes.server.WorkflowClient.relay;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.dropwizard.testing.ConfigOverride;
import io.dropwizard.testing.ResourceHelpers;
import io.dropwizard.testing.junit5.DropwizardAppExtension;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.server.AppTestSupport;
import org.foureyes.server.FoureyesConfiguration;
import org.foureyes.server.TestApp;
import org.foureyes.server.TestClock;
import org.foureyes.server.WorkflowClient;
import org.foureyes.server.WorkflowClient.Answer;
import org.foureyes.server.db.TestDatabase;
import org.junit.jupiter.api.Test;

/**
 * Issue 13, item 3: a principal who may request policy changes posts a policy whose coalition
 * analysis is expensive. The service keeps answering reads and other posts meanwhile, the request
 * gets a verdict, and the server stops promptly.
 */
class PolicyAnalysisAppTest {

    @Test
    void policyRequest_adversarialSixtyByForty_serviceKeepsAnsweringAndStopsPromptly() throws Exception {
        TestApp.CLOCK = TestClock.ticking();
        Path data = AppTestSupport.tempDir("foureyes-analysis");
        try (TestDatabase db = TestDatabase.sqlite()) {
            DropwizardAppExtension<FoureyesConfiguration> app = new DropwizardAppExtension<>(TestApp.class,
                    ResourceHelpers.resourceFilePath("test-config.yml"),
                    ConfigOverride.config("dataDir", data.toString()),
                    ConfigOverride.config("policyFile", AppTestSupport.policyFile().toString()),
                    ConfigOverride.config("log.origin", AppTestSupport.ORIGIN),
                    ConfigOverride.config("log.keyFile", data.resolve("log.key").toString()),
                    ConfigOverride.config("database.driverClass", db.driverClass()),
                    ConfigOverride.config("database.url", db.url()),
                    ConfigOverride.config("workflow.refusalsPerMinute", "1000"));
            app.before();
            boolean stopped = false;
            try {
                WorkflowClient api = new WorkflowClient(app.client(), app.getLocalPort());
                String statement = api.requestStatement("rene", "policy", adversarialPolicy(), false);
                CompletableFuture<Answer> policyPost = CompletableFuture.supplyAsync(() -> api.post("/v1/changes", statement));

                long t0 = System.nanoTime();
                assertThat(api.get("/v1/log/checkpoint").status()).isEqualTo(200);
                assertThat(api.post("/v1/changes", api.requestStatement("rene", "relay", relay("meanwhile"), false))
                        .status()).isEqualTo(201);
                assertThat(api.get("/v1/policy").status()).isEqualTo(200);
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0)).isLessThan(15_000);

                Answer verdict = policyPost.get(30, TimeUnit.SECONDS);
                assertThat(verdict.status()).as(verdict.body()).isIn(201, 422, 409, 403);

                long s0 = System.nanoTime();
                app.after();
                stopped = true;
                assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - s0)).isLessThan(10_000);
            } finally {
                if (!stopped) {
                    app.after();
                }
            }
        }
    }

    /** 60 principals with their own mixes of roles, 40 components, several factors (like issue 13's). */
    static JsonNode adversarialPolicy() throws Exception {
        Random rnd = new Random(60L);
        int principals = 60;
        int roles = 30;
        int components = 40;
        StringBuilder y = new StringBuilder("policy: adversarial\ncomponents:\n");
        List<String> all = new ArrayList<>();
        for (int c = 0; c < components; c++) {
            y.append("  c").append(c).append(": {}\n");
            all.add("c" + c);
        }
        all.add("policy");
        y.append("roles:\n");
        for (int r = 0; r < roles; r++) {
            List<String> req = new ArrayList<>();
            List<String> appr = new ArrayList<>();
            for (int i = 0; i < all.size(); i++) {
                if (i % roles == r || rnd.nextInt(8) == 0) {
                    req.add(all.get(i));
                }
                if ((i + 1) % roles == r || (i + 2) % roles == r || rnd.nextInt(3) == 0) {
                    appr.add(all.get(i));
                }
            }
            y.append("  r").append(r).append(": {request: ").append(req).append(", approve: ").append(appr).append("}\n");
        }
        y.append("principals:\n");
        for (int i = 0; i < principals; i++) {
            Set<String> rs = new LinkedHashSet<>();
            rs.add("r" + (i % roles));
            while (rs.size() < 3) {
                rs.add("r" + rnd.nextInt(roles));
            }
            y.append("  p").append(i).append(": {roles: ").append(rs).append(", keys: [\"")
                    .append(SignerKey.generate("p" + i).verifierKey()).append("\"]}\n");
        }
        y.append("approvals:\n");
        y.append("  default: {factors: [{count: 1, roles: [r0, r1, r2, r3, r4, r5]}, {count: 1, roles: [r6, r7, r8, r9]}]}\n");
        y.append("  policy: {factors: [{count: 2, roles: [r0, r1, r2, r3]}, {count: 1, roles: [r4, r5, r6]}]}\n");
        y.append("separation:\n  - {name: everything, components: ").append(all.subList(0, components))
                .append(", min_coalition: 1}\n");
        y.append("timing: {pending_ttl: P7D, apply_ttl: PT24H}\n");
        return new ObjectMapper(new YAMLFactory()).readTree(y.toString());
    }
}
