package org.foureyes.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assumptions.assumeThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The agent's privileges as deployed by ops/ (issue 13 item 8): the agent runs unprivileged; each
 * hook is the one command its user may run as root, through a sudoers rule with no wildcard and no
 * arguments, keeping only the four variables the hook validates.
 */
class OpsPrivilegesTest {
    static final Path OPS = Path.of("../ops");
    static final String[] COMPONENTS = {"relay", "switch", "monitor"};
    static final String KEPT = "FOUREYES_COMPONENT FOUREYES_CHANGE FOUREYES_CONFIG_SHA256 FOUREYES_RESTORED";
    /** Settings under which systemd sets NoNewPrivileges for a service that is not root, which stops sudo. */
    static final List<String> IMPLY_NO_NEW_PRIVILEGES = List.of("SystemCallFilter", "SystemCallArchitectures",
            "RestrictAddressFamilies", "RestrictNamespaces", "RestrictSUIDSGID", "RestrictRealtime", "PrivateDevices",
            "ProtectKernelTunables", "ProtectKernelModules", "ProtectKernelLogs", "ProtectClock",
            "MemoryDenyWriteExecute", "LockPersonality", "DynamicUser");

    /** The unit's settings (comments dropped), as key=value lines. */
    private static List<String> settings(Path unit) throws Exception {
        List<String> out = new ArrayList<>();
        for (String l : Files.readAllLines(unit)) {
            String t = l.strip();
            if (!t.isEmpty() && !t.startsWith("#") && !t.startsWith(";") && !t.startsWith("[")) {
                out.add(t);
            }
        }
        return out;
    }

    private static List<String> values(List<String> settings, String key) {
        return settings.stream().filter(s -> s.startsWith(key + "=")).map(s -> s.substring(key.length() + 1)).toList();
    }

    @Test
    void agentUnit_runsAsADedicatedUserThatIsNotRoot() throws Exception {
        List<String> s = settings(OPS.resolve("systemd/foureyes-agent@.service"));
        assertThat(values(s, "User")).containsExactly("foureyes-agent");
        assertThat(values(s, "Group")).containsExactly("foureyes-agent");
        assertThat(values(s, "DynamicUser")).isEmpty();
    }

    @Test
    void agentUnit_sandboxedButLeavesSudoWorking() throws Exception {
        List<String> s = settings(OPS.resolve("systemd/foureyes-agent@.service"));
        assertThat(values(s, "ProtectSystem")).containsExactly("strict");
        assertThat(values(s, "StateDirectory")).containsExactly("foureyes-agent/%i");
        assertThat(values(s, "NoNewPrivileges")).containsExactly("no");
        for (String k : IMPLY_NO_NEW_PRIVILEGES) {
            assertThat(values(s, k)).as(k + " would imply NoNewPrivileges and stop sudo").isEmpty();
        }
        // What the hooks write (as root, in this sandbox) is opened per component, nowhere else.
        assertThat(values(s, "ReadWritePaths")).isEmpty();
        for (String c : COMPONENTS) {
            List<String> dropIn = settings(OPS.resolve("systemd/foureyes-agent@" + c + ".service.d/hook.conf"));
            String hook = Files.readString(OPS.resolve("hooks/" + c + "-hook"));
            Matcher m = Pattern.compile("out=\"\\$\\{FOUREYES_" + c.toUpperCase(java.util.Locale.ROOT)
                    + "_OUT:-([^}]+)}\"").matcher(hook);
            assertThat(m.find()).as(c + "-hook has a default output directory").isTrue();
            assertThat(String.join(" ", values(dropIn, "ReadWritePaths"))).contains("-" + m.group(1));
        }
    }

    @Test
    void sudoers_eachComponent_allowsExactlyItsHookWithNoArgumentsAndKeepsOnlyFourVariables() throws Exception {
        for (String c : COMPONENTS) {
            Path file = OPS.resolve("sudoers.d/foureyes-agent-" + c);
            String hook = "/usr/lib/foureyes/" + c + "-hook";
            List<String> rules = new ArrayList<>();
            List<String> defaults = new ArrayList<>();
            for (String l : Files.readAllLines(file)) {
                String t = l.strip();
                if (t.isEmpty() || t.startsWith("#")) {
                    continue;
                }
                (t.startsWith("Defaults") ? defaults : rules).add(t);
            }
            assertThat(rules).as(file.toString()).containsExactly("foureyes-agent ALL = (root) NOPASSWD: " + hook + " \"\"");
            assertThat(String.join("\n", rules)).doesNotContain("*", "?", "[", "ALL = (ALL)", "SETENV");
            assertThat(defaults).as(file.toString()).allMatch(d -> d.startsWith("Defaults!" + hook + " "))
                    .contains("Defaults!" + hook + " env_keep = \"" + KEPT + "\"")
                    .anyMatch(d -> d.contains("env_reset"))
                    .noneMatch(d -> d.contains("env_keep +=") || d.contains("!env_reset") || d.contains("setenv"));
            // The sudoers file name must have no dot, or sudo's includedir skips it.
            assertThat(file.getFileName().toString()).doesNotContain(".");
            assertThat(OPS.resolve("hooks/" + c + "-hook")).isExecutable();
        }
    }

    @Test
    void sudoers_visudo_parsesEveryFile() throws Exception {
        Path visudo = Path.of("/usr/sbin/visudo");
        assumeThat(Files.isExecutable(visudo) || "true".equals(System.getenv("CI")))
                .as("visudo (Debian package sudo) is installed").isTrue();
        for (String c : COMPONENTS) {
            Process p = new ProcessBuilder(visudo.toString(), "-cf", OPS.resolve("sudoers.d/foureyes-agent-" + c).toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(p.exitValue()).as(out).isZero();
        }
    }
}
