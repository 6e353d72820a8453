package org.foureyes.server;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.Map;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.statement.StatementClaims;
import org.foureyes.statement.StatementSigner;

/** The checked-in test keys of the principals of policies/tor-exit.yml, and signing with them. */
public final class Principals {
    private static final Map<String, SignerKey> KEYS = new HashMap<>();

    private Principals() {
    }

    public static Path keyFile(String name) {
        return AppTestSupport.policyFile().getParent().getParent()
                .resolve("audit-log/src/test/resources/keys/" + name + ".test.key");
    }

    public static synchronized SignerKey key(String name) {
        return KEYS.computeIfAbsent(name, n -> {
            try {
                return SignerKey.parse(Files.readString(keyFile(n)).strip());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
    }

    /** A statement by {@code who}, issued at {@code iat}, for the test log's origin. */
    public static String sign(String who, Instant iat, StatementClaims claims) {
        return sign(key(who), iat, AppTestSupport.ORIGIN, claims, StatementSigner.DEFAULT_LIFETIME);
    }

    public static String sign(SignerKey key, Instant iat, String audience, StatementClaims claims, Duration lifetime) {
        try {
            return StatementSigner.of(key, Clock.fixed(iat, ZoneOffset.UTC)).sign(audience, claims, lifetime);
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static String accessToken(String who, Instant iat) {
        try {
            return StatementSigner.of(key(who), Clock.fixed(iat, ZoneOffset.UTC)).accessToken(AppTestSupport.ORIGIN,
                    Duration.ofMinutes(5));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
