package org.foureyes.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.foureyes.statement.ConfigHash;
import org.junit.jupiter.api.Test;

/** The agent reads its target file and its own configuration as I-JSON (issue 13 item 4). */
class AgentIJsonTest extends AgentTestSupport {

    @Test
    void currentHash_targetWithLoneSurrogate_hashesBytesNotTheQuestionMarkConfig() throws Exception {
        byte[] text = "{\"contact\":\"\\ud800@example.org\"}".getBytes(StandardCharsets.US_ASCII);
        Files.createDirectories(target.getParent());
        Files.write(target, text);

        String hash = agent().currentHash();

        assertThat(hash).isNotEqualTo(ConfigHash.sha256HexOfJson("{\"contact\":\"?@example.org\"}"))
                .isEqualTo(Agent.sha256Hex(text));
    }

    @Test
    void currentHash_targetWithIntegerBeyondTwoTo53_hashesBytes() throws Exception {
        byte[] text = "{\"n\":9007199254740993}".getBytes(StandardCharsets.US_ASCII);
        Files.createDirectories(target.getParent());
        Files.write(target, text);

        assertThat(agent().currentHash()).isEqualTo(Agent.sha256Hex(text))
                .isNotEqualTo(ConfigHash.sha256HexOfJson("{\"n\":9.007199254740992e15}"));
    }

    @Test
    void load_configWithLoneSurrogate_refusedNamingTheFile() throws Exception {
        Path cfg = tmp.resolve("agent-bad.yml");
        Files.writeString(cfg, "component: \"relay\\ud800\"\n");

        assertThatThrownBy(() -> AgentConfig.load(cfg)).isInstanceOf(AgentException.class)
                .hasMessageContaining("agent-bad.yml").hasMessageContaining("lone surrogate");
    }
}
