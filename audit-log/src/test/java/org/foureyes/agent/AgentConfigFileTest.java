package org.foureyes.agent;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent's own configuration file: mistakes a person can act on (issue 16 item 5). */
class AgentConfigFileTest {
    @TempDir
    Path dir;

    @Test
    void load_missingFile_saysItDoesNotExistNamingTheFile() {
        Path missing = dir.resolve("nope.yml");

        assertThatThrownBy(() -> AgentConfig.load(missing)).isInstanceOf(AgentException.class)
                .hasMessageContaining(missing + ": does not exist").hasMessageContaining("--config")
                .hasMessageNotContaining("No such file");
    }
}
