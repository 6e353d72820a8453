package org.foureyes.auditlog;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.PublicKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/**
 * Converts signed-note keys to {@code java.security} keys, for libraries that speak JCA (jjwt signs
 * and verifies JWS statements with them). Lives in this package because the seed of a
 * {@link SignerKey} is deliberately not public.
 */
public final class JcaKeys {
    // DER prefixes of RFC 8410: PKCS#8 PrivateKeyInfo and X.509 SubjectPublicKeyInfo for Ed25519
    // (OID 1.3.101.112); the 32-byte seed or public key follows.
    private static final byte[] PKCS8_PREFIX = {
        0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20};
    private static final byte[] SPKI_PREFIX = {
        0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private JcaKeys() {
    }

    /** The Ed25519 private key of {@code key} for the given provider (BouncyCastle in foureyes). */
    public static PrivateKey privateKey(SignerKey key, Provider provider) throws GeneralSecurityException {
        byte[] der = concat(PKCS8_PREFIX, key.seed());
        try {
            return KeyFactory.getInstance("Ed25519", provider).generatePrivate(new PKCS8EncodedKeySpec(der));
        } finally {
            Arrays.fill(der, (byte) 0);
        }
    }

    /** The Ed25519 public key of {@code key} for the given provider. */
    public static PublicKey publicKey(VerifierKey key, Provider provider) throws GeneralSecurityException {
        return KeyFactory.getInstance("Ed25519", provider)
                .generatePublic(new X509EncodedKeySpec(concat(SPKI_PREFIX, key.publicKey())));
    }

    private static byte[] concat(byte[] prefix, byte[] key) {
        byte[] out = Arrays.copyOf(prefix, prefix.length + key.length);
        System.arraycopy(key, 0, out, prefix.length, key.length);
        Arrays.fill(key, (byte) 0);
        return out;
    }
}
