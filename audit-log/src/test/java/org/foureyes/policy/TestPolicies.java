package org.foureyes.policy;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.foureyes.auditlog.SignerKey;

/** Crafted policies for tests: {@code KEY(name)} in the YAML becomes a fresh test verifier key for that name. */
final class TestPolicies {
    private static final Pattern KEY = Pattern.compile("KEY\\(([a-z0-9._-]+)\\)");
    private static final Map<String, String> KEYS = new HashMap<>();

    private TestPolicies() {}

    static synchronized String key(String name) {
        return KEYS.computeIfAbsent(name, n -> {
            try {
                return SignerKey.generate(n).verifierKey().toString();
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    static String withKeys(String yaml) {
        Matcher m = KEY.matcher(yaml);
        StringBuilder sb = new StringBuilder();
        while (m.find()) {
            m.appendReplacement(sb, Matcher.quoteReplacement("\"" + key(m.group(1)) + "\""));
        }
        m.appendTail(sb);
        return sb.toString();
    }

    static Policy unchecked(String yaml) throws PolicyException {
        return PolicyLoader.parseUnchecked(withKeys(yaml), "test.yml");
    }

    static Policy checked(String yaml) throws PolicyException {
        return PolicyLoader.parse(withKeys(yaml), "test.yml");
    }

    /** The three custodians of the design, with the given approvals and separation sections. */
    static String custodians(String approvals, String separation) {
        return """
                policy: crafted
                components:
                  relay: {}
                  switch: {}
                  monitor: {}
                roles:
                  relay-operator:   {request: [relay, policy],   approve: [switch, monitor, policy]}
                  network-operator: {request: [switch, policy],  approve: [relay, monitor, policy]}
                  analyst:          {request: [monitor, policy], approve: [relay, switch, policy]}
                principals:
                  rene: {roles: [relay-operator], keys: [KEY(rene)]}
                  nora: {roles: [network-operator], keys: [KEY(nora)]}
                  anna: {roles: [analyst], keys: [KEY(anna)]}
                """ + approvals + separation + "timing: {pending_ttl: P7D, apply_ttl: PT24H}\n";
    }
}
