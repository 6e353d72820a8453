package org.foureyes.server.health;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.codahale.metrics.health.HealthCheck.Result;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataDirectoryHealthCheckTest {
    @TempDir
    Path dir;

    @Test
    void check_writableWithSpace_healthyAndLeavesNoProbe() throws Exception {
        Result r = new DataDirectoryHealthCheck(dir).execute();
        assertThat(r.isHealthy()).as(r.getMessage()).isTrue();
        try (var files = Files.list(dir)) {
            assertThat(files).isEmpty();
        }
    }

    @Test
    void check_lessThanTheMinimumFree_unhealthySayingHowMuch() {
        Result r = new DataDirectoryHealthCheck(dir, 1024, d -> 100).execute();
        assertThat(r.isHealthy()).isFalse();
        assertThat(r.getMessage()).contains("100 bytes free").contains("less than 1024");
    }

    @Test
    void check_missingDirectory_unhealthy() {
        Result r = new DataDirectoryHealthCheck(dir.resolve("gone")).execute();
        assertThat(r.isHealthy()).isFalse();
        assertThat(r.getMessage()).contains("does not exist");
    }

    /**
     * A real full disk: a 256 KiB tmpfs filled to the last byte (needs root and mount(2), as in CI;
     * skipped where the kernel refuses). The old check (permission bits) said "writable" here.
     */
    @Test
    void check_fullFileSystem_unhealthy() throws Exception {
        Path mnt = dir.resolve("mnt");
        Files.createDirectories(mnt);
        assumeTrue(run("mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", mnt.toString()) == 0,
                "cannot mount a tmpfs here");
        try {
            try (OutputStream out = Files.newOutputStream(mnt.resolve("filler"))) {
                byte[] block = new byte[4096];
                while (true) {
                    out.write(block);
                }
            } catch (IOException full) {
                // No space left on device: what we wanted.
            }
            Result r = new DataDirectoryHealthCheck(mnt, 0, d -> Files.getFileStore(d).getUsableSpace()).execute();
            assertThat(r.isHealthy()).as(r.getMessage()).isFalse();
            assertThat(r.getMessage()).contains("cannot be written");
            assertThat(new DataDirectoryHealthCheck(mnt).execute().isHealthy()).isFalse();
        } finally {
            run("umount", mnt.toString());
        }
    }

    private static int run(String... cmd) throws Exception {
        try {
            Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
            p.getInputStream().readAllBytes();
            return p.waitFor();
        } catch (IOException e) {
            return -1;
        }
    }
}
