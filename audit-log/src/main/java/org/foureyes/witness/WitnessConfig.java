package org.foureyes.witness;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import org.foureyes.auditlog.KeyFormatException;
import org.foureyes.auditlog.VerifierKey;
import org.foureyes.statement.IJson;
import org.foureyes.statement.IJsonException;

/**
 * The witness's configuration file (YAML), see docs/witness.md:
 *
 * <pre>
 * listen: 127.0.0.1:7380          # host:port (port 0: any free port)
 * key_file: /etc/foureyes-witness/witness.key    # PRIVATE+KEY+&lt;witness name&gt;+..., mode 0600
 * key_passphrase_env: WITNESS_KEY_PASSPHRASE      # optional: env variable holding the passphrase
 * state_file: /var/lib/foureyes-witness/state.json
 * logs:
 *   - origin: foureyes.example.org/tor-exit
 *     key: foureyes.example.org/tor-exit+6ae8fc8f+ARl/...
 * </pre>
 *
 * Relative paths are resolved against the configuration file's directory.
 */
public record WitnessConfig(InetSocketAddress listen, Path keyFile, String passphraseEnv, Path stateFile,
        List<VerifierKey> logs) {

    private static final Set<String> TOP = Set.of("listen", "key_file", "key_passphrase_env", "state_file", "logs");

    public WitnessConfig {
        logs = List.copyOf(logs);
    }

    /** Reads and checks a configuration file; errors name the file and the field. */
    public static WitnessConfig load(Path file) throws IOException {
        JsonNode n;
        try {
            n = new ObjectMapper(new YAMLFactory()).enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
                    .readTree(file.toFile());
            if (n != null) {
                IJson.check(n);
            }
        } catch (IOException e) {
            throw new IOException("cannot read witness config " + file + ": " + e.getMessage(), e);
        } catch (IJsonException e) {
            throw new IOException("witness config " + file + ": " + e.getMessage(), e);
        }
        if (n == null || !n.isObject()) {
            throw new IOException(file + ": a witness config is a YAML mapping");
        }
        for (Iterator<String> it = n.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!TOP.contains(f)) {
                throw new IOException(file + ": unknown field \"" + f + "\" (known: " + String.join(", ", TOP) + ")");
            }
        }
        Path base = file.toAbsolutePath().getParent();
        InetSocketAddress listen = address(file, text(file, n, "listen"));
        Path keyFile = base.resolve(text(file, n, "key_file"));
        String env = n.hasNonNull("key_passphrase_env") ? text(file, n, "key_passphrase_env") : null;
        Path state = base.resolve(text(file, n, "state_file"));
        JsonNode ls = n.get("logs");
        if (ls == null || !ls.isArray() || ls.isEmpty()) {
            throw new IOException(file + ": logs must list at least one log ({origin, key})");
        }
        List<VerifierKey> logs = new ArrayList<>();
        for (int i = 0; i < ls.size(); i++) {
            JsonNode l = ls.get(i);
            String where = "logs[" + i + "]";
            if (!l.isObject() || !l.path("origin").isTextual() || !l.path("key").isTextual()) {
                throw new IOException(file + ": " + where + " needs origin and key (the log's verifier key)");
            }
            VerifierKey k;
            try {
                k = VerifierKey.parse(l.get("key").textValue());
            } catch (KeyFormatException e) {
                throw new IOException(file + ": " + where + ".key is not a verifier key: " + e.getMessage(), e);
            }
            if (!k.name().equals(l.get("origin").textValue())) {
                throw new IOException(file + ": " + where + ".key is named " + k.name() + " but the origin is "
                        + l.get("origin").textValue() + " (a log key's name is its origin)");
            }
            for (VerifierKey other : logs) {
                if (other.name().equals(k.name())) {
                    throw new IOException(file + ": " + where + ": origin " + k.name() + " is listed twice");
                }
            }
            logs.add(k);
        }
        if (!Files.exists(keyFile)) {
            throw new IOException(file + ": key_file " + keyFile + " does not exist");
        }
        return new WitnessConfig(listen, keyFile, env, state, logs);
    }

    private static String text(Path file, JsonNode n, String field) throws IOException {
        JsonNode v = n.get(field);
        if (v == null || !v.isValueNode() || v.asText().isBlank()) {
            throw new IOException(file + ": " + field + " is required");
        }
        return v.asText();
    }

    private static InetSocketAddress address(Path file, String s) throws IOException {
        int colon = s.lastIndexOf(':');
        if (colon <= 0) {
            throw new IOException(file + ": listen must be host:port, got \"" + s + "\"");
        }
        String host = s.substring(0, colon);
        if (host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        int port;
        try {
            port = Integer.parseInt(s.substring(colon + 1));
        } catch (NumberFormatException e) {
            throw new IOException(file + ": listen port is not a number in \"" + s + "\"");
        }
        if (port < 0 || port > 65535) {
            throw new IOException(file + ": listen port " + port + " is out of range");
        }
        return new InetSocketAddress(host, port);
    }
}
