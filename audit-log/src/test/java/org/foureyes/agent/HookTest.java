package org.foureyes.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The hook runner's timeout: a hook run through sudo can only be reached by a signal sudo relays. */
class HookTest {
    @TempDir
    Path dir;

    @Test
    void run_hookPastItsTimeout_getsSigtermBeforeItIsKilled() throws Exception {
        Path marker = dir.resolve("term");
        Path script = dir.resolve("hook");
        Files.writeString(script, """
                #!/bin/sh
                sleep 30 &
                trap 'kill $! 2>/dev/null; echo term > "$MARK"; exit 1' TERM
                wait
                """);
        Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));

        Hook.Result r = Hook.run(List.of(script.toString()), Map.of("MARK", marker.toString()), Set.of(),
                Duration.ofMillis(500), dir.resolve("hook.log"));

        assertThat(r.ok()).isFalse();
        assertThat(r.detail()).startsWith("hook timed out after PT0.5S");
        assertThat(marker).as("the hook's TERM trap ran").exists();
    }
}
