package org.foureyes.statement;

import java.security.Provider;
import org.bouncycastle.jce.provider.BouncyCastleProvider;

/** The one BouncyCastle provider instance (building one is slow), passed to JCA explicitly. */
final class Jca {
    private Jca() {
    }

    /**
     * Not registered with {@code Security.addProvider}: foureyes passes it where it is needed and
     * leaves the JVM's provider list alone. BouncyCastle's Ed25519 is several times faster than the
     * JDK's in jjwt's verify path.
     */
    static final Provider BC = new BouncyCastleProvider();
}
