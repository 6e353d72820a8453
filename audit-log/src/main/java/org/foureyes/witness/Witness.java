package org.foureyes.witness;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.foureyes.auditlog.BadSignatureException;
import org.foureyes.auditlog.Checkpoint;
import org.foureyes.auditlog.Cosignature;
import org.foureyes.auditlog.NoteFormatException;
import org.foureyes.auditlog.ProofException;
import org.foureyes.auditlog.ProofVerifier;
import org.foureyes.auditlog.SignedCheckpoint;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.auditlog.VerifierKey;
import org.foureyes.auditlog.WitnessKey;

/**
 * A C2SP tlog-witness (https://c2sp.org/tlog-witness): checks {@code add-checkpoint} requests and
 * cosigns (tlog-cosignature/v1, Ed25519) only checkpoints that are signed by a configured log key
 * and consistent with the latest checkpoint it cosigned for that log. See docs/witness.md.
 *
 * <p>Thread-safe: each request is checked and recorded under one lock, so the size check and the
 * state update are atomic (the race the spec warns about cannot happen), and the new state is
 * durable before the cosignature is returned.
 */
public final class Witness {

    /** Largest request body accepted, in bytes. */
    public static final int MAX_BODY_BYTES = 1 << 20;
    /** Most consistency proof lines accepted (the spec's limit). */
    public static final int MAX_PROOF_LINES = 63;

    private final SignerKey key;
    private final Map<String, VerifierKey> logs;
    private final WitnessState state;
    private final Clock clock;

    /**
     * @param key the witness's signing key (its name is the witness's name)
     * @param logKeys the logs it witnesses: each key's name is the log's origin
     * @param state the persisted state
     */
    public Witness(SignerKey key, List<VerifierKey> logKeys, WitnessState state, Clock clock) {
        this.key = Objects.requireNonNull(key, "key");
        this.state = Objects.requireNonNull(state, "state");
        this.clock = Objects.requireNonNull(clock, "clock");
        Map<String, VerifierKey> m = new LinkedHashMap<>();
        for (VerifierKey k : logKeys) {
            if (m.put(k.name(), k) != null) {
                throw new IllegalArgumentException("two log keys for origin " + k.name());
            }
        }
        this.logs = Map.copyOf(m);
    }

    /** The witness's public key for cosignatures (type 0x04), which clients pin. */
    public WitnessKey witnessKey() {
        return WitnessKey.forSigner(key);
    }

    /** The outcome of an {@code add-checkpoint} request: HTTP status, content type and body. */
    public record Response(int status, String contentType, String body) {
        static Response ok(String lines) {
            return new Response(200, "text/plain; charset=utf-8", lines);
        }

        static Response error(int status, String message) {
            return new Response(status, "text/plain; charset=utf-8", message + "\n");
        }

        static Response conflict(long size) {
            return new Response(409, "text/x.tlog.size", size + "\n");
        }
    }

    /** Handles one {@code POST /add-checkpoint} body. */
    public Response addCheckpoint(byte[] body) {
        if (body.length > MAX_BODY_BYTES) {
            return Response.error(400, "request body is larger than " + MAX_BODY_BYTES + " bytes");
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(body)).toString();
        } catch (java.nio.charset.CharacterCodingException e) {
            return Response.error(400, "request body is not UTF-8");
        }
        Request req;
        try {
            req = Request.parse(text);
        } catch (IllegalArgumentException e) {
            return Response.error(400, e.getMessage());
        }
        String origin = req.note.substring(0, Math.max(0, req.note.indexOf('\n')));
        VerifierKey logKey = logs.get(origin);
        if (logKey == null) {
            return Response.error(404, "unknown log origin \"" + printable(origin) + "\"");
        }
        Checkpoint cp;
        try {
            cp = SignedCheckpoint.open(req.note, logKey);
        } catch (BadSignatureException e) {
            return Response.error(403, "checkpoint is not signed by the log key of " + origin + ": " + e.getMessage());
        } catch (NoteFormatException e) {
            return Response.error(400, "malformed checkpoint: " + e.getMessage());
        }
        if (req.oldSize > cp.size()) {
            return Response.error(400, "old size " + req.oldSize + " is larger than the checkpoint's size " + cp.size());
        }
        synchronized (this) {
            WitnessState.LogState last = state.get(origin);
            long recorded = last == null ? 0 : last.size();
            if (req.oldSize != recorded) {
                return Response.conflict(recorded);
            }
            if (last != null && cp.size() == recorded) {
                if (!MessageDigest.isEqual(last.root(), cp.rootHash())) {
                    return Response.conflict(recorded);
                }
                if (!req.proof.isEmpty()) {
                    return Response.error(422, "old size equals the checkpoint size: the consistency proof must be empty");
                }
            } else if (req.oldSize == 0) {
                if (!req.proof.isEmpty()) {
                    return Response.error(422, "old size 0: the consistency proof must be empty");
                }
            } else {
                try {
                    ProofVerifier.verifyConsistency(req.oldSize, cp.size(), last.root(), cp.rootHash(), req.proof);
                } catch (ProofException e) {
                    return Response.error(422, "consistency proof from size " + req.oldSize + " to " + cp.size()
                            + " does not verify: " + e.getMessage());
                }
            }
            try {
                state.put(origin, new WitnessState.LogState(cp.size(), cp.rootHash(), req.note));
            } catch (IOException e) {
                return Response.error(500, "cannot record the checkpoint durably: " + e.getMessage());
            }
            long now = Math.max(0, clock.instant().getEpochSecond());
            return Response.ok(Cosignature.sign(cp, key, now));
        }
    }

    /** The size of the latest cosigned checkpoint of {@code origin} (0 if none). */
    public synchronized long size(String origin) {
        WitnessState.LogState s = state.get(origin);
        return s == null ? 0 : s.size();
    }

    /** A parsed request body. */
    record Request(long oldSize, List<byte[]> proof, String note) {
        static Request parse(String text) {
            int nl = text.indexOf('\n');
            if (nl < 0 || !text.startsWith("old ")) {
                throw new IllegalArgumentException("the body must start with an old size line \"old <size>\\n\"");
            }
            long old = parseSize(text.substring(4, nl));
            List<byte[]> proof = new ArrayList<>();
            int pos = nl + 1;
            while (true) {
                int end = text.indexOf('\n', pos);
                if (end < 0) {
                    throw new IllegalArgumentException("no empty line after the consistency proof");
                }
                if (end == pos) {
                    pos = end + 1;
                    break;
                }
                if (proof.size() == MAX_PROOF_LINES) {
                    throw new IllegalArgumentException("more than " + MAX_PROOF_LINES + " consistency proof lines");
                }
                String line = text.substring(pos, end);
                byte[] h;
                try {
                    h = Base64.getDecoder().decode(line);
                } catch (IllegalArgumentException e) {
                    h = null;
                }
                if (h == null || h.length != 32 || !Base64.getEncoder().encodeToString(h).equals(line)) {
                    throw new IllegalArgumentException("consistency proof line " + (proof.size() + 1)
                            + " is not the base64 of a 32-byte hash");
                }
                proof.add(h);
                pos = end + 1;
            }
            String note = text.substring(pos);
            if (note.isEmpty()) {
                throw new IllegalArgumentException("no checkpoint after the empty line");
            }
            return new Request(old, proof, note);
        }

        private static long parseSize(String s) {
            if (!s.matches("0|[1-9][0-9]{0,18}")) {
                throw new IllegalArgumentException("old size \"" + printable(s) + "\" is not a decimal size");
            }
            try {
                return Long.parseLong(s);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("old size " + s + " is too large");
            }
        }
    }

    static String printable(String s) {
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < s.length() && i < 100; i++) {
            char c = s.charAt(i);
            b.append(c < 0x20 || c == 0x7f ? '?' : c);
        }
        return b.toString();
    }
}
