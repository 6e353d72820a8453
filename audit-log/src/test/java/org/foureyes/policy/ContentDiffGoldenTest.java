package org.foureyes.policy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The content diff against the golden data the page's test reads too
 * (server/src/test/js/policydiff.test.mjs): Java and JavaScript must print the same lines.
 */
class ContentDiffGoldenTest {
    static final Path GOLDEN = Path.of("src/test/resources/policydiff/content-golden.json");

    @Test
    void between_everyGoldenCase_printsExactlyTheGoldenLines() throws Exception {
        JsonNode golden = new ObjectMapper().readTree(GOLDEN.toFile());
        assertThat(golden.path("cases").size()).isGreaterThanOrEqualTo(6);
        for (JsonNode c : golden.path("cases")) {
            List<String> expected = new ArrayList<>();
            c.path("lines").forEach(l -> expected.add(l.asText()));
            List<String> actual = ContentDiff.between(c.get("old"), c.get("new")).stream()
                    .map(ContentChange::line).toList();
            assertThat(actual).as(c.path("name").asText()).containsExactlyElementsOf(expected);
        }
    }

    @Test
    void between_issueScenario_namesTheGuardAndTheEnumValueAsWidening() throws Exception {
        JsonNode c = new ObjectMapper().readTree(GOLDEN.toFile()).path("cases").get(0);
        assertThat(ContentDiff.between(c.get("old"), c.get("new")).stream().map(ContentChange::line))
                .contains("[widens] monitor: guard coarse-time-buckets removed (it required:"
                        + " config.record.bucket_minutes >= 60)",
                        "[widens] monitor: schema record.fields[]: enum value \"src_addr\" added");
    }
}
