package org.foureyes.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.foureyes.statement.ConfigHash;

/**
 * Runs one of the tor-exit hooks in ops/hooks as the agent does (same environment), in dry-run mode
 * against a scratch output directory, and reads back what it rendered. Needs jq.
 */
final class OpsHookRunner {
    static final Path OPS = Path.of("../ops");

    /** The environment variable naming each hook's output directory. */
    private static final Map<String, String> OUT_VAR = Map.of(
            "relay", "FOUREYES_RELAY_OUT", "switch", "FOUREYES_SWITCH_OUT", "monitor", "FOUREYES_MONITOR_OUT");

    /** The hook's exit code, its output (stdout and stderr), and the files it left in its output directory. */
    record Result(int exit, String output, Map<String, String> files) {}

    private OpsHookRunner() {}

    /** Runs {@code component}'s hook on {@code configJson}, writing into {@code dir} (created if needed). */
    static Result run(String component, String configJson, Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        Path file = dir.resolve(component + ".json");
        Files.writeString(file, configJson, StandardCharsets.UTF_8);
        Path out = dir.resolve("out");
        ProcessBuilder pb = new ProcessBuilder(OPS.resolve("hooks/" + component + "-hook").toString());
        Map<String, String> env = pb.environment();
        env.put("FOUREYES_COMPONENT", component);
        env.put("FOUREYES_CONFIG", file.toString());
        env.put("FOUREYES_CHANGE", "17");
        env.put("FOUREYES_CONFIG_SHA256", ConfigHash.sha256HexOfJson(configJson));
        env.put("FOUREYES_RESTORED", "0");
        env.put("FOUREYES_DRY_RUN", "1");
        env.put(OUT_VAR.get(component), out.toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(component + "-hook did not finish in 30 s");
        }
        Map<String, String> files = new TreeMap<>();
        if (Files.isDirectory(out)) {
            try (Stream<Path> s = Files.list(out)) {
                for (Path f : (Iterable<Path>) s::iterator) {
                    files.put(f.getFileName().toString(), Files.isRegularFile(f)
                            ? Files.readString(f, StandardCharsets.UTF_8).replace(out.toString(), "<out>")
                            : "<directory>");
                }
            }
        }
        return new Result(p.exitValue(), output, files);
    }
}
