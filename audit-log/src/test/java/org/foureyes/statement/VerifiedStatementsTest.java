package org.foureyes.statement;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.foureyes.statement.StatementException.Reason;
import org.junit.jupiter.api.Test;

/** A remembered statement is reused only where a full verification would accept it too. */
class VerifiedStatementsTest {
    private final VerifiedStatements remembered = new VerifiedStatements(10);
    private final StatementVerifier verifier = new StatementVerifier(new SignatureCache(10), remembered);
    private final String token = Tokens.ed25519(Tokens.decisionPayload("alice"), Fixture.ALICE);
    private static final VerifyMode DECISIONS = VerifyMode.online(StatementType.DECISION);

    @Test
    void verify_sameStatementAgain_returnsTheStatementVerifiedFirst() throws Exception {
        Statement first = verifier.verify(token, Fixture.POLICY, Fixture.AUDIENCE, Fixture.NOW, DECISIONS);
        Statement again = verifier.verify(token, Fixture.POLICY, Fixture.AUDIENCE, Fixture.NOW.plusSeconds(60),
                VerifyMode.offline(StatementType.DECISION, StatementType.CHANGE_REQUEST));
        assertThat(again).isSameAs(first);
        assertThat(remembered.size()).isEqualTo(1);
    }

    @Test
    void verify_anotherPolicyInstance_isVerifiedAgainstThatPolicy() throws Exception {
        verifier.verify(token, Fixture.POLICY, Fixture.AUDIENCE, Fixture.NOW, DECISIONS);
        // alice's key replaced: the remembered statement must not outlive the key it was signed with.
        assertThatThrownBy(() -> verifier.verify(token, Fixture.policy(Fixture.FAKE_ALICE), Fixture.AUDIENCE,
                Fixture.NOW, DECISIONS))
                .isInstanceOfSatisfying(StatementException.class, e -> assertThat(e.reason()).isEqualTo(Reason.UNKNOWN_KEY));
    }

    @Test
    void verify_laterTimePastItsExpiry_isRefusedAsExpired() throws Exception {
        verifier.verify(token, Fixture.POLICY, Fixture.AUDIENCE, Fixture.NOW, DECISIONS);
        // The token is valid for 300 s; 2 min of clock skew are allowed after that.
        assertThatThrownBy(() -> verifier.verify(token, Fixture.POLICY, Fixture.AUDIENCE,
                Fixture.NOW.plus(Duration.ofSeconds(300)).plus(StatementVerifier.CLOCK_SKEW).plusSeconds(1), DECISIONS))
                .isInstanceOfSatisfying(StatementException.class, e -> assertThat(e.reason()).isEqualTo(Reason.EXPIRED));
    }

    @Test
    void verify_earlierTimeBeforeItsIssue_isRefusedAsNotYetValid() throws Exception {
        verifier.verify(token, Fixture.POLICY, Fixture.AUDIENCE, Fixture.NOW, DECISIONS);
        assertThatThrownBy(() -> verifier.verify(token, Fixture.POLICY, Fixture.AUDIENCE,
                Fixture.NOW.minus(StatementVerifier.CLOCK_SKEW).minusSeconds(1), DECISIONS))
                .isInstanceOfSatisfying(StatementException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.NOT_YET_VALID));
    }

    @Test
    void verify_modeThatDoesNotAcceptItsType_isRefused() throws Exception {
        verifier.verify(token, Fixture.POLICY, Fixture.AUDIENCE, Fixture.NOW, DECISIONS);
        assertThatThrownBy(() -> verifier.verify(token, Fixture.POLICY, Fixture.AUDIENCE, Fixture.NOW,
                VerifyMode.online(StatementType.CHANGE_REQUEST)))
                .isInstanceOfSatisfying(StatementException.class, e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_TYPE));
    }

    @Test
    void verify_anotherAudience_isRefused() throws Exception {
        verifier.verify(token, Fixture.POLICY, Fixture.AUDIENCE, Fixture.NOW, DECISIONS);
        assertThatThrownBy(() -> verifier.verify(token, Fixture.POLICY, "other.example/log", Fixture.NOW, DECISIONS))
                .isInstanceOfSatisfying(StatementException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.WRONG_AUDIENCE));
    }

    @Test
    void verify_refusedStatement_isNotRemembered() {
        assertThatThrownBy(() -> verifier.verify(token, Fixture.POLICY, Fixture.AUDIENCE, Fixture.NOW,
                VerifyMode.online(StatementType.CHANGE_REQUEST))).isInstanceOf(StatementException.class);
        assertThat(remembered.size()).isZero();
    }

    @Test
    void remembered_whenFull_isCleared() throws Exception {
        VerifiedStatements one = new VerifiedStatements(1);
        StatementVerifier v = new StatementVerifier(null, one);
        v.verify(token, Fixture.POLICY, Fixture.AUDIENCE, Fixture.NOW, DECISIONS);
        v.verify(Tokens.ed25519(Tokens.decisionPayload("alice").replace("j-1", "j-2"), Fixture.ALICE), Fixture.POLICY,
                Fixture.AUDIENCE, Fixture.NOW, DECISIONS);
        assertThat(one.size()).isEqualTo(1);
    }
}
