package org.foureyes.agent;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import org.foureyes.auditlog.KeyFormatException;
import org.foureyes.auditlog.VerifierKey;
import org.foureyes.auditlog.WitnessKey;
import org.foureyes.statement.IJson;
import org.foureyes.statement.IJsonException;

/**
 * The agent's configuration (docs/agent.md, "Configuration"): a YAML file with the fields below.
 * Relative paths are resolved against the file's directory. Unknown fields are refused.
 *
 * @param component the managed component, as named in the policy
 * @param keyFile the agent's own private key file (mode 0600), a principal with the report right
 * @param passphraseEnv the environment variable holding the key file's passphrase, or null
 * @param server the foureyes service's base URL
 * @param logKey the pinned log verifier key
 * @param genesisPolicySha256 the pinned hash of the genesis policy (64 lowercase hex)
 * @param target the JSON file the agent writes the approved configuration to
 * @param hookCommand the hook's argv
 * @param hookTimeout how long the hook may run
 * @param hookEnv extra environment for the hook
 * @param witnesses the witnesses' cosignature keys (may be empty)
 * @param witnessQuorum how many of them must have cosigned (0 if none are configured)
 * @param stateDir the agent's state directory
 * @param pollInterval the pause between rounds when not run with --once
 * @param httpTimeout the timeout of each request to the server
 */
public record AgentConfig(
        String component,
        Path keyFile,
        String passphraseEnv,
        URI server,
        VerifierKey logKey,
        String genesisPolicySha256,
        Path target,
        List<String> hookCommand,
        Duration hookTimeout,
        Map<String, String> hookEnv,
        List<WitnessKey> witnesses,
        int witnessQuorum,
        Path stateDir,
        Duration pollInterval,
        Duration httpTimeout) {

    static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]*");
    static final Pattern HEX64 = Pattern.compile("[0-9a-f]{64}");
    static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private static final Set<String> TOP = Set.of("component", "key_file", "key_passphrase_env", "server", "log_key",
            "genesis_policy_sha256", "target", "hook", "witnesses", "state_dir", "poll_interval", "http_timeout");

    public AgentConfig {
        Objects.requireNonNull(component, "component");
        Objects.requireNonNull(keyFile, "keyFile");
        Objects.requireNonNull(server, "server");
        Objects.requireNonNull(logKey, "logKey");
        Objects.requireNonNull(genesisPolicySha256, "genesisPolicySha256");
        Objects.requireNonNull(target, "target");
        hookCommand = List.copyOf(hookCommand);
        Objects.requireNonNull(hookTimeout, "hookTimeout");
        hookEnv = Map.copyOf(hookEnv);
        witnesses = List.copyOf(witnesses);
        Objects.requireNonNull(stateDir, "stateDir");
        Objects.requireNonNull(pollInterval, "pollInterval");
        Objects.requireNonNull(httpTimeout, "httpTimeout");
    }

    /** Reads and checks a configuration file. */
    public static AgentConfig load(Path file) throws AgentException {
        if (!java.nio.file.Files.exists(file)) {
            throw fail(file, "does not exist; give the agent's configuration file with --config (see ops/agents/)");
        }
        JsonNode root;
        try {
            ObjectMapper yaml = new ObjectMapper(new YAMLFactory());
            yaml.enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
            root = yaml.readTree(file.toFile());
            if (root != null) {
                IJson.check(root);
            }
        } catch (IOException e) {
            throw fail(file, "cannot read: " + e.getMessage());
        } catch (IJsonException e) {
            throw fail(file, e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw fail(file, "must be a YAML map of the agent's settings");
        }
        Path base = file.toAbsolutePath().getParent();
        for (Iterator<String> it = root.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!TOP.contains(f)) {
                throw fail(file, "unknown field " + f + " (known: " + String.join(", ", new java.util.TreeSet<>(TOP)) + ")");
            }
        }
        String component = text(file, root, "component", true);
        if (!NAME.matcher(component).matches()) {
            throw fail(file, "component: '" + component + "' is not a component name ([a-z0-9][a-z0-9._-]*)");
        }
        Path keyFile = base.resolve(text(file, root, "key_file", true));
        String passEnv = text(file, root, "key_passphrase_env", false);
        if (passEnv != null && !ENV_NAME.matcher(passEnv).matches()) {
            throw fail(file, "key_passphrase_env: '" + passEnv + "' is not an environment variable name");
        }
        URI server;
        try {
            server = new URI(text(file, root, "server", true));
        } catch (URISyntaxException e) {
            throw fail(file, "server: not a URL: " + e.getMessage());
        }
        if (!"http".equals(server.getScheme()) && !"https".equals(server.getScheme()) || server.getHost() == null) {
            throw fail(file, "server: '" + server + "' must be an http or https URL with a host");
        }
        VerifierKey logKey;
        try {
            logKey = VerifierKey.parse(text(file, root, "log_key", true));
        } catch (KeyFormatException e) {
            throw fail(file, "log_key: not a verifier key: " + e.getMessage());
        }
        String genesis = text(file, root, "genesis_policy_sha256", true);
        if (!HEX64.matcher(genesis).matches()) {
            throw fail(file, "genesis_policy_sha256: must be 64 lowercase hex digits (the SHA-256 that"
                    + " `foureyes policy check` prints for the genesis policy)");
        }
        Path target = base.resolve(text(file, root, "target", true));

        JsonNode hook = root.get("hook");
        if (hook == null || !hook.isObject()) {
            throw fail(file, "hook: required, a map with command (and optionally timeout, env)");
        }
        for (Iterator<String> it = hook.fieldNames(); it.hasNext(); ) {
            String f = it.next();
            if (!Set.of("command", "timeout", "env").contains(f)) {
                throw fail(file, "hook: unknown field " + f + " (known: command, env, timeout)");
            }
        }
        List<String> command = new ArrayList<>();
        JsonNode cmd = hook.get("command");
        if (cmd != null && cmd.isTextual() && !cmd.asText().isBlank()) {
            command.add(base.resolve(cmd.asText()).toString());
        } else if (cmd != null && cmd.isArray() && cmd.size() > 0) {
            for (JsonNode c : cmd) {
                if (!c.isTextual() || c.asText().isEmpty()) {
                    throw fail(file, "hook.command: every element must be a non-empty string");
                }
                command.add(command.isEmpty() ? base.resolve(c.asText()).toString() : c.asText());
            }
        } else {
            throw fail(file, "hook.command: required, the hook's path or a list [path, arg, ...]");
        }
        Duration hookTimeout = duration(file, hook, "timeout", "hook.timeout", Duration.ofSeconds(60));
        Map<String, String> hookEnv = new LinkedHashMap<>();
        JsonNode env = hook.get("env");
        if (env != null) {
            if (!env.isObject()) {
                throw fail(file, "hook.env: must be a map of environment variables");
            }
            for (Iterator<Map.Entry<String, JsonNode>> it = env.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> e = it.next();
                if (!ENV_NAME.matcher(e.getKey()).matches() || !e.getValue().isValueNode() || e.getValue().isNull()) {
                    throw fail(file, "hook.env." + e.getKey() + ": must be NAME: value");
                }
                hookEnv.put(e.getKey(), e.getValue().asText());
            }
        }

        List<WitnessKey> witnesses = new ArrayList<>();
        int quorum = 0;
        JsonNode w = root.get("witnesses");
        if (w != null && !w.isNull()) {
            if (!w.isObject()) {
                throw fail(file, "witnesses: must be a map with keys and quorum");
            }
            for (Iterator<String> it = w.fieldNames(); it.hasNext(); ) {
                String f = it.next();
                if (!Set.of("keys", "quorum").contains(f)) {
                    throw fail(file, "witnesses: unknown field " + f + " (known: keys, quorum)");
                }
            }
            JsonNode keys = w.get("keys");
            if (keys == null || !keys.isArray() || keys.isEmpty()) {
                throw fail(file, "witnesses.keys: a non-empty list of witness keys name+keyid+base64(0x04 || key)");
            }
            Set<String> seen = new LinkedHashSet<>();
            for (int i = 0; i < keys.size(); i++) {
                try {
                    WitnessKey k = WitnessKey.parse(keys.get(i).asText());
                    if (!seen.add(k.name() + "+" + k.keyIdHex())) {
                        throw fail(file, "witnesses.keys[" + i + "]: " + k.name() + "+" + k.keyIdHex() + " is listed twice");
                    }
                    witnesses.add(k);
                } catch (KeyFormatException e) {
                    throw fail(file, "witnesses.keys[" + i + "]: not a witness key: " + e.getMessage());
                }
            }
            JsonNode q = w.get("quorum");
            if (q == null || !q.canConvertToInt() || !q.isIntegralNumber() || q.asInt() < 1 || q.asInt() > witnesses.size()) {
                throw fail(file, "witnesses.quorum: required, how many of the " + witnesses.size()
                        + " witnesses must cosign (1 to " + witnesses.size() + ")");
            }
            quorum = q.asInt();
        }
        Path stateDir = base.resolve(text(file, root, "state_dir", true));
        Duration poll = duration(file, root, "poll_interval", "poll_interval", Duration.ofSeconds(60));
        Duration http = duration(file, root, "http_timeout", "http_timeout", Duration.ofSeconds(30));
        return new AgentConfig(component, keyFile, passEnv, server, logKey, genesis, target, command, hookTimeout,
                hookEnv, witnesses, quorum, stateDir, poll, http);
    }

    private static String text(Path file, JsonNode root, String field, boolean required) throws AgentException {
        JsonNode n = root.get(field);
        if (n == null || n.isNull()) {
            if (required) {
                throw fail(file, field + ": required");
            }
            return null;
        }
        if (!n.isTextual() || n.asText().isBlank()) {
            throw fail(file, field + ": must be a non-empty string");
        }
        return n.asText();
    }

    private static Duration duration(Path file, JsonNode parent, String field, String path, Duration dflt)
            throws AgentException {
        JsonNode n = parent.get(field);
        if (n == null || n.isNull()) {
            return dflt;
        }
        try {
            Duration d = Duration.parse(n.asText());
            if (d.isNegative() || d.isZero()) {
                throw fail(file, path + ": must be positive");
            }
            return d;
        } catch (DateTimeParseException e) {
            throw fail(file, path + ": '" + n.asText() + "' is not an ISO-8601 duration such as PT60S or PT5M");
        }
    }

    private static AgentException fail(Path file, String message) {
        return new AgentException(AgentException.Check.CONFIG, file + ": " + message);
    }
}
