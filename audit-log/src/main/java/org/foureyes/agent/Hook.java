package org.foureyes.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** Runs the hook with a timeout; its output goes to {@code hook.log} in the state directory. */
final class Hook {
    /** What the hook did. */
    record Result(boolean ok, String detail) {}

    private Hook() {
    }

    static Result run(List<String> command, Map<String, String> env, Set<String> removeEnv, Duration timeout, Path log) {
        ProcessBuilder pb = new ProcessBuilder(command);
        removeEnv.forEach(pb.environment()::remove);
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectOutput(log.toFile());
        pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null")));
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new Result(false, "hook " + command.get(0) + " cannot be started: " + e.getMessage());
        }
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                stop(p);
                return new Result(false, "hook timed out after " + timeout + lastLine(log));
            }
        } catch (InterruptedException e) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            Thread.currentThread().interrupt();
            return new Result(false, "hook interrupted");
        }
        int code = p.exitValue();
        if (code != 0) {
            return new Result(false, "hook exited " + code + lastLine(log));
        }
        return new Result(true, "hook exited 0");
    }

    /**
     * SIGTERM first, then SIGKILL. A hook run through sudo runs as root: the unprivileged agent can
     * signal sudo (its own process) but not the hook, and only a catchable signal is relayed by sudo
     * to the hook. Killing sudo outright would leave the root hook running.
     */
    private static void stop(Process p) throws InterruptedException {
        p.destroy();
        if (!p.waitFor(GRACE.toMillis(), TimeUnit.MILLISECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            p.waitFor(5, TimeUnit.SECONDS);
        }
        // Anything the hook left behind that this user may signal.
        p.descendants().forEach(ProcessHandle::destroyForcibly);
    }

    /** How long a hook has to end after SIGTERM before it is killed. */
    static final Duration GRACE = Duration.ofSeconds(5);

    private static String lastLine(Path log) {
        try {
            List<String> lines = Files.readAllLines(log, StandardCharsets.UTF_8);
            for (int i = lines.size() - 1; i >= 0; i--) {
                String l = lines.get(i).strip();
                if (!l.isEmpty()) {
                    l = l.replaceAll("[\\x00-\\x1f]", " ");
                    return ": " + (l.length() > 300 ? l.substring(0, 300) + "..." : l);
                }
            }
        } catch (IOException | RuntimeException e) {
            // output not readable as text: leave it out
        }
        return "";
    }
}
