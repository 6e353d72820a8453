package org.foureyes.policy.testkeys;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.foureyes.auditlog.SignerKey;

/**
 * Writes TEST key pairs for the principals of {@code policies/tor-exit.yml}: the private key to
 * {@code audit-log/src/test/resources/keys/<name>.test.key} and the verifier key to stdout, to paste
 * into the policy. These keys are for tests only: their private halves are public in this
 * repository. A real deployment generates its own keys on each custodian's machine.
 *
 * <p>Run from the repository root: {@code java -cp audit-log/target/test-classes:audit-log/target/classes:<deps>
 * org.foureyes.policy.testkeys.GenerateTestKeys rene nora ...}
 */
public final class GenerateTestKeys {
    private GenerateTestKeys() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of("audit-log/src/test/resources/keys");
        Files.createDirectories(dir);
        for (String name : args) {
            SignerKey k = SignerKey.generate(name);
            Path file = dir.resolve(name + ".test.key");
            Files.writeString(file, k.encode() + "\n");
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
            System.out.println(name + " " + k.verifierKey());
        }
    }
}
