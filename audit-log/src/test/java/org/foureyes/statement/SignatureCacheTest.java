package org.foureyes.statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SignatureCacheTest {

    @Test
    void verify_sameStatementTwice_remembersItsSignature() throws Exception {
        SignatureCache cache = new SignatureCache(10);
        StatementVerifier v = new StatementVerifier(cache);
        String token = Tokens.ed25519(Tokens.decisionPayload("alice"), Fixture.ALICE);
        v.verify(token, Fixture.POLICY, Fixture.AUDIENCE, Fixture.NOW, VerifyMode.online(StatementType.DECISION));
        assertThat(cache.size()).isEqualTo(1);
        v.verify(token, Fixture.POLICY, Fixture.AUDIENCE, Fixture.NOW, VerifyMode.online(StatementType.DECISION));
        assertThat(cache.size()).isEqualTo(1);
    }

    @Test
    void verify_alteredStatement_isStillRefusedWithACache() throws Exception {
        SignatureCache cache = new SignatureCache(10);
        StatementVerifier v = new StatementVerifier(cache);
        String token = Tokens.ed25519(Tokens.decisionPayload("alice"), Fixture.ALICE);
        v.verify(token, Fixture.POLICY, Fixture.AUDIENCE, Fixture.NOW, VerifyMode.online(StatementType.DECISION));
        String other = Tokens.ed25519(Tokens.decisionPayload("alice").replace("j-1", "j-2"), Fixture.ALICE);
        String forged = other.substring(0, other.lastIndexOf('.')) + token.substring(token.lastIndexOf('.'));
        assertThatThrownBy(() -> v.verify(forged, Fixture.POLICY, Fixture.AUDIENCE, Fixture.NOW,
                VerifyMode.online(StatementType.DECISION))).isInstanceOf(StatementException.class)
                .extracting(e -> ((StatementException) e).reason()).isEqualTo(StatementException.Reason.BAD_SIGNATURE);
    }

    @Test
    void cache_whenFull_isCleared() throws Exception {
        SignatureCache cache = new SignatureCache(1);
        StatementVerifier v = new StatementVerifier(cache);
        v.verify(Tokens.ed25519(Tokens.decisionPayload("alice"), Fixture.ALICE), Fixture.POLICY, Fixture.AUDIENCE,
                Fixture.NOW, VerifyMode.online(StatementType.DECISION));
        v.verify(Tokens.ed25519(Tokens.decisionPayload("alice").replace("j-1", "j-3"), Fixture.ALICE),
                Fixture.POLICY, Fixture.AUDIENCE, Fixture.NOW, VerifyMode.online(StatementType.DECISION));
        assertThat(cache.size()).isEqualTo(1);
    }
}
