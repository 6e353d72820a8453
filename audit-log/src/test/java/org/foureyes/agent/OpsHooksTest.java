package org.foureyes.agent;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.foureyes.statement.ConfigHash;
import org.foureyes.testing.TorExitFixtures;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tor-exit hooks in ops/hooks, run as the agent runs them (same environment) against a scratch
 * directory with FOUREYES_DRY_RUN=1, on the configurations the policy tests accept
 * (TorExitGuardsTest). Needs jq, as the managed machines do.
 */
class OpsHooksTest {
    static final Path OPS = Path.of("../ops");
    static final String RELAY = TorExitFixtures.example("relay");
    static final String SWITCH = TorExitFixtures.example("switch");
    static final String MONITOR = TorExitFixtures.example("monitor");

    @TempDir
    Path tmp;

    private record Run(int exit, String output) {}

    private Run hook(String component, String config, String outVar) throws Exception {
        return hook(component, config, outVar, Map.of());
    }

    private Run hook(String component, String config, String outVar, Map<String, String> extra) throws Exception {
        Path file = tmp.resolve(component + ".json");
        Files.writeString(file, config);
        ProcessBuilder pb = new ProcessBuilder(OPS.resolve("hooks/" + component + "-hook").toString());
        Map<String, String> env = pb.environment();
        env.put("FOUREYES_COMPONENT", component);
        env.put("FOUREYES_CONFIG", file.toString());
        env.put("FOUREYES_CHANGE", "17");
        env.put("FOUREYES_CONFIG_SHA256", ConfigHash.sha256HexOfJson(config));
        env.put("FOUREYES_RESTORED", "0");
        env.put("FOUREYES_DRY_RUN", "1");
        env.put(outVar, tmp.resolve("out").toString());
        env.putAll(extra);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    private String out(String name) throws IOException {
        return Files.readString(tmp.resolve("out").resolve(name));
    }

    @Test
    void relayHook_torExitConfiguration_rendersTorrcFragmentAndMark() throws Exception {
        Run r = hook("relay", RELAY, "FOUREYES_RELAY_OUT");

        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(out("foureyes.conf")).contains("change 17").endsWith(String.join("\n",
                "Nickname foureyesExit",
                "ContactInfo ops@example.org",
                "ExitRelay 1",
                "ExitPolicy accept *:80",
                "ExitPolicy accept *:443",
                "ExitPolicy reject *:*",
                "OutboundBindAddressExit 192.0.2.10",
                "OutboundBindAddressOR 192.0.2.11",
                ""));
        assertThat(out("foureyes-exit-tos")).isEqualTo("40\n");
    }

    @Test
    void relayHook_newlineInContact_refusesAndWritesNothing() throws Exception {
        String injected = RELAY.replace("ops@example.org", "ops@example.org\\nExitPolicy accept *:*");

        Run r = hook("relay", injected, "FOUREYES_RELAY_OUT");

        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.output()).contains("control character");
        assertThat(tmp.resolve("out/foureyes.conf")).doesNotExist();
    }

    @Test
    void switchHook_torExitConfiguration_rendersMirrorAndFirewallScript() throws Exception {
        Run r = hook("switch", SWITCH, "FOUREYES_SWITCH_OUT");

        assertThat(r.exit()).as(r.output()).isZero();
        String script = out("apply.sh");
        assertThat(script).startsWith("#!/bin/sh\n").contains("change 17")
                .contains("tc qdisc add dev swp1 handle ffff: ingress\n")
                .contains("tc filter add dev swp1 parent ffff: protocol all matchall action mirred egress mirror dev swp8")
                .contains("type filter hook forward priority 0; policy drop;\n")
                .contains("    oifname \"swp1\" meta l4proto tcp tcp dport 443 accept comment \"https to the relay\"\n")
                .endsWith("}\nNFT\n");
        assertThat(Files.isExecutable(tmp.resolve("out/apply.sh"))).isTrue();
    }

    @Test
    void switchHook_mirrorDisabled_removesTheSessionOnly() throws Exception {
        Run r = hook("switch", SWITCH.replace("\"enabled\": true", "\"enabled\": false"), "FOUREYES_SWITCH_OUT");

        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(out("apply.sh")).contains("tc qdisc del dev swp1 ingress").contains("# mirroring disabled")
                .doesNotContain("mirred");
    }

    @Test
    void switchHook_interfaceOutsideTheSchema_refuses() throws Exception {
        Run r = hook("switch", SWITCH.replace("\"swp8\"", "\"swp8; reboot\""), "FOUREYES_SWITCH_OUT");

        assertThat(r.exit()).isEqualTo(3);
        assertThat(tmp.resolve("out/apply.sh")).doesNotExist();
    }

    @Test
    void monitorHook_torExitConfiguration_rendersFilterAndAnonymisation() throws Exception {
        Run r = hook("monitor", MONITOR, "FOUREYES_MONITOR_OUT");

        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(out("capture.bpf")).isEqualTo("ip[1] & 0xfc == 40\n");
        assertThat(out("capture.env")).contains("CAPTURE_ENABLED=true\n", "CAPTURE_INTERFACE=mirror0\n", "EXIT_TOS=40\n");
        assertThat(out("anonymise.conf")).contains("record_fields=dst_port,asn,country,bytes,packets,time_bucket\n",
                "drop_addresses=true\n", "bucket_minutes=60\n", "retention_days=30\n");
    }

    @Test
    void monitorHook_narrowing_rendersEachListAsParenthesisedAlternatives() throws Exception {
        Run r = hook("monitor", MONITOR.replace("\"exit_tos\": 40}", "\"exit_tos\": 40, \"narrow\": "
                + "{\"protocols\": [\"tcp\", \"udp\"], \"dst_ports\": [80, 443], \"src_ports\": [53]}}"),
                "FOUREYES_MONITOR_OUT");

        assertThat(r.exit()).as(r.output()).isZero();
        // BPF gives "and" and "or" the same precedence: every "or" must stay inside parentheses.
        assertThat(out("capture.bpf")).isEqualTo(
                "ip[1] & 0xfc == 40 and (tcp or udp) and (dst port 80 or dst port 443) and (src port 53)\n");
    }

    @Test
    void monitorHook_filterText_refusesAndWritesNothing() throws Exception {
        // Issue 13's configuration: a filter string the old guard and hook took for a narrowing.
        Run r = hook("monitor", MONITOR.replace("\"exit_tos\": 40}",
                "\"exit_tos\": 40, \"filter\": \"ip[1] & 0xfc == 40 and (tcp)or(ip)\"}"), "FOUREYES_MONITOR_OUT");

        assertThat(r.exit()).isEqualTo(3);
        assertThat(r.output()).contains("refusing");
        assertThat(tmp.resolve("out/capture.bpf")).doesNotExist();
        assertThat(tmp.resolve("out/capture.env")).doesNotExist();
    }

    @Test
    void monitorHook_narrowingOutsideTheTypes_refuses() throws Exception {
        for (String narrow : new String[] {"{}", "{\"protocols\": []}", "{\"protocols\": [\"tcp or ip\"]}",
                "{\"protocols\": [\"tcp\", \"tcp\"]}", "{\"dst_ports\": [0]}", "{\"dst_ports\": [\"80 or ip\"]}",
                "{\"dst_ports\": [80.5]}", "{\"src_ports\": [65536]}", "{\"hosts\": [\"192.0.2.1\"]}"}) {
            Run r = hook("monitor", MONITOR.replace("\"exit_tos\": 40}", "\"exit_tos\": 40, \"narrow\": " + narrow + "}"),
                    "FOUREYES_MONITOR_OUT");

            assertThat(r.exit()).as(narrow).isEqualTo(3);
            assertThat(tmp.resolve("out/capture.bpf")).as(narrow).doesNotExist();
        }
    }

    @Test
    void relayHook_valueOutsideTheGrammar_refusesAndWritesNothing() throws Exception {
        for (String[] swap : new String[][] {
                {"ops@example.org", "ops@example.org \\\\"},   // a trailing backslash continues the line in torrc
                {"ops@example.org", "\\\"ops@example.org\\\""}, // a leading quote makes torrc unescape the value
                {"ops@example.org", "ops # x"},
                {"accept *:80", "accept *:80,accept *:22"},
                {"accept *:80", "accept *:80 reject"},
                {"192.0.2.10", "192.0.2.10 "},
                {"foureyesExit", "foureyes Exit"}}) {
            Run r = hook("relay", RELAY.replace(swap[0], swap[1]), "FOUREYES_RELAY_OUT");

            assertThat(r.exit()).as(swap[1]).isEqualTo(3);
            assertThat(tmp.resolve("out/foureyes.conf")).as(swap[1]).doesNotExist();
        }
    }

    @Test
    void hooks_changeIdWithNewline_refusedAndNothingWritten() throws Exception {
        // FOUREYES_CHANGE comes from the agent; no hook may let it inject a line (hook-lib.sh refuses
        // it before anything is rendered).
        Map<String, String[]> hooks = Map.of(
                "relay", new String[] {RELAY, "FOUREYES_RELAY_OUT", "foureyes.conf"},
                "switch", new String[] {SWITCH, "FOUREYES_SWITCH_OUT", "apply.sh"},
                "monitor", new String[] {MONITOR, "FOUREYES_MONITOR_OUT", "capture.env"});
        for (Map.Entry<String, String[]> h : hooks.entrySet()) {
            Path file = tmp.resolve(h.getKey() + ".json");
            Files.writeString(file, h.getValue()[0]);
            Path out = tmp.resolve("out-" + h.getKey());
            ProcessBuilder pb = new ProcessBuilder(OPS.resolve("hooks/" + h.getKey() + "-hook").toString());
            pb.environment().putAll(Map.of("FOUREYES_CONFIG", file.toString(), "FOUREYES_DRY_RUN", "1",
                    "FOUREYES_CHANGE", "17\nInjected line", "FOUREYES_CONFIG_SHA256", "ab\nInjected line",
                    h.getValue()[1], out.toString()));
            pb.redirectErrorStream(true);
            Process p = pb.start();
            p.getInputStream().readAllBytes();
            assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();

            assertThat(p.exitValue()).as(h.getKey()).isEqualTo(2);
            assertThat(out.resolve(h.getValue()[2])).as(h.getKey()).doesNotExist();
        }
    }

    @Test
    void switchHook_commentOutsideTheSchema_refuses() throws Exception {
        for (String comment : new String[] {"x\\\" accept", "x\\n", "x\\\\", "$(reboot)", "x ", "x\\u2028"}) {
            Run r = hook("switch", SWITCH.replace("\"https to the relay\"", "\"" + comment + "\""),
                    "FOUREYES_SWITCH_OUT");

            assertThat(r.exit()).as(comment).isEqualTo(3);
            assertThat(tmp.resolve("out/apply.sh")).as(comment).doesNotExist();
        }
    }

    @Test
    void switchHook_sessionNameWithTrailingNewline_refuses() throws Exception {
        // jq's "$" matches before a final newline: the old check "^[a-z0-9-]{1,32}$" let "exit\n" through.
        Run r = hook("switch", SWITCH.replace("\"name\": \"exit\"", "\"name\": \"exit\\n\""), "FOUREYES_SWITCH_OUT");

        assertThat(r.exit()).isEqualTo(3);
        assertThat(tmp.resolve("out/apply.sh")).doesNotExist();
    }

    @Test
    void agentConfigs_examples_runTheirHookThroughSudoOnTheHooksFixedTarget() throws Exception {
        for (String c : new String[] {"relay", "switch", "monitor"}) {
            AgentConfig config = AgentConfig.load(OPS.resolve("agents/" + c + ".yml"));
            assertThat(config.component()).isEqualTo(c);
            assertThat(config.hookCommand()).containsExactly("/usr/bin/sudo", "-n", "/usr/lib/foureyes/" + c + "-hook");
            // sudo drops hook.env; the hook's settings belong in its root-owned settings file.
            assertThat(config.hookEnv()).isEmpty();
            assertThat(OPS.resolve("hooks/" + c + "-hook")).isExecutable();
            // Through sudo the hook reads its default target, so the agent must write exactly there.
            assertThat(Files.readString(OPS.resolve("hooks/" + c + "-hook")))
                    .contains("foureyes_hook_init " + c + " " + config.target() + "\n");
        }
    }

    /**
     * The hook as sudo starts it: only PATH and the four variables the sudoers rule keeps (no
     * FOUREYES_CONFIG), its settings from a settings file (here a scratch one standing for
     * /etc/foureyes/hooks/COMPONENT.env).
     */
    private Run hookAsSudoRunsIt(String component, byte[] target, String sha, String change, String outVar)
            throws Exception {
        Path file = tmp.resolve(component + ".json");
        Files.write(file, target);
        Path settings = tmp.resolve(component + ".env");
        Files.writeString(settings, "FOUREYES_TARGET=" + file + "\n" + outVar + "=" + tmp.resolve("out") + "\n"
                + "FOUREYES_DRY_RUN=1\n");
        Files.setPosixFilePermissions(settings, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
        ProcessBuilder pb = new ProcessBuilder(OPS.resolve("hooks/" + component + "-hook").toString());
        Map<String, String> env = pb.environment();
        String path = env.get("PATH");
        env.clear();
        env.put("PATH", path);
        env.put("FOUREYES_COMPONENT", component);
        env.put("FOUREYES_CHANGE", change);
        env.put("FOUREYES_CONFIG_SHA256", sha);
        env.put("FOUREYES_RESTORED", "0");
        env.put("FOUREYES_HOOK_SETTINGS", settings.toString());
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out);
    }

    private static byte[] canonical(String json) throws IOException {
        return new org.erdtman.jcs.JsonCanonicalizer(json).getEncodedUTF8();
    }

    @Test
    void relayHook_throughSudo_rendersTheFixedTargetWhenItHasTheAppliedHash() throws Exception {
        Run r = hookAsSudoRunsIt("relay", canonical(RELAY), ConfigHash.sha256HexOfJson(RELAY), "17", "FOUREYES_RELAY_OUT");
        assertThat(r.exit()).as(r.output()).isZero();
        assertThat(out("foureyes.conf")).contains("change 17, configuration sha256 " + ConfigHash.sha256HexOfJson(RELAY));
    }

    @Test
    void relayHook_throughSudoTargetNotTheAppliedConfiguration_refusesAndWritesNothing() throws Exception {
        String other = RELAY.replace("\"exit_tos\": 40", "\"exit_tos\": 44");
        assertThat(other).isNotEqualTo(RELAY);
        Run r = hookAsSudoRunsIt("relay", canonical(other), ConfigHash.sha256HexOfJson(RELAY), "17", "FOUREYES_RELAY_OUT");
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.output()).contains("not the applied configuration");
        assertThat(tmp.resolve("out/foureyes.conf")).doesNotExist();
    }

    @Test
    void switchHook_changeIdWithANewline_refusesBeforeWritingTheRootScript() throws Exception {
        // Through sudo FOUREYES_CHANGE comes from the unprivileged agent and used to be written into
        // apply.sh, which runs as root: a newline would add a command.
        Run r = hook("switch", SWITCH, "FOUREYES_SWITCH_OUT", Map.of("FOUREYES_CHANGE", "17\ntouch /tmp/owned"));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.output()).contains("FOUREYES_CHANGE is not a change id");
        assertThat(tmp.resolve("out/apply.sh")).doesNotExist();
    }

    @Test
    void monitorHook_settingsFileWritableByOthers_refuses() throws Exception {
        Path settings = tmp.resolve("monitor.env");
        Files.writeString(settings, "FOUREYES_DRY_RUN=1\n");
        Files.setPosixFilePermissions(settings, java.nio.file.attribute.PosixFilePermissions.fromString("rw-rw-rw-"));
        Run r = hook("monitor", MONITOR, "FOUREYES_MONITOR_OUT", Map.of("FOUREYES_HOOK_SETTINGS", settings.toString()));
        assertThat(r.exit()).isEqualTo(2);
        assertThat(r.output()).contains("must be owned by root and writable by no one else");
    }
}
