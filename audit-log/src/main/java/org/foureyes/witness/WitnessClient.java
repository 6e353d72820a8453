package org.foureyes.witness;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import org.foureyes.auditlog.Checkpoint;
import org.foureyes.auditlog.Cosignature;
import org.foureyes.auditlog.WitnessKey;

/**
 * Submits checkpoints to a C2SP tlog-witness ({@code POST <prefix>/add-checkpoint}) with the JDK's
 * {@link HttpClient}, and returns the witness's cosignature line only after verifying it with the
 * witness's pinned key over exactly the submitted checkpoint. Thread-safe.
 */
public final class WitnessClient {

    /** Consistency proofs for the client to send: from the witness's size to the checkpoint's. */
    @FunctionalInterface
    public interface ProofSource {
        List<byte[]> consistency(long from, long to) throws Exception;
    }

    /** What the witness answered. */
    public sealed interface Outcome permits Cosigned, Conflict, Refused {
    }

    /**
     * The witness cosigned: {@code line} (with its newline) is its verified cosignature line, to
     * store and append to the checkpoint note.
     */
    public record Cosigned(String line, Cosignature cosignature) implements Outcome {
    }

    /** 409: the witness's latest cosigned size is {@code witnessSize} (re-prove from there). */
    public record Conflict(long witnessSize) implements Outcome {
    }

    /** Any other answer, or a 200 whose cosignature does not verify: {@code status} 0 for the latter. */
    public record Refused(int status, String message) implements Outcome {
    }

    private final URI endpoint;
    private final WitnessKey witnessKey;
    private final HttpClient http;
    private final Duration timeout;

    /**
     * @param submissionPrefix the witness's URL prefix ({@code /add-checkpoint} is appended)
     * @param witnessKey the witness's pinned cosignature key
     */
    public WitnessClient(URI submissionPrefix, WitnessKey witnessKey, HttpClient http, Duration timeout) {
        String p = submissionPrefix.toString();
        this.endpoint = URI.create((p.endsWith("/") ? p.substring(0, p.length() - 1) : p) + "/add-checkpoint");
        this.witnessKey = Objects.requireNonNull(witnessKey, "witnessKey");
        this.http = Objects.requireNonNull(http, "http");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    public WitnessClient(URI submissionPrefix, WitnessKey witnessKey) {
        this(submissionPrefix, witnessKey, HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build(),
                Duration.ofSeconds(30));
    }

    public WitnessKey witnessKey() {
        return witnessKey;
    }

    public URI endpoint() {
        return endpoint;
    }

    /** The request body of the protocol: old size line, proof lines, empty line, the checkpoint note. */
    public static String body(String signedCheckpoint, long oldSize, List<byte[]> proof) {
        StringBuilder b = new StringBuilder("old ").append(oldSize).append('\n');
        for (byte[] h : proof) {
            b.append(Base64.getEncoder().encodeToString(h)).append('\n');
        }
        return b.append('\n').append(signedCheckpoint).toString();
    }

    /** One {@code add-checkpoint} request. */
    public Outcome addCheckpoint(String signedCheckpoint, long oldSize, List<byte[]> proof)
            throws IOException, InterruptedException {
        HttpRequest req = HttpRequest.newBuilder(endpoint)
                .timeout(timeout)
                .header("Content-Type", "text/plain; charset=utf-8")
                .POST(HttpRequest.BodyPublishers.ofString(body(signedCheckpoint, oldSize, proof), StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> resp = http.send(req, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        String body = resp.body();
        if (resp.statusCode() == 409) {
            String ct = resp.headers().firstValue("Content-Type").orElse("");
            String s = body.strip();
            if (ct.startsWith("text/x.tlog.size") && s.matches("0|[1-9][0-9]{0,18}")) {
                return new Conflict(Long.parseLong(s));
            }
            return new Refused(409, "409 from " + endpoint + ": " + shorten(body));
        }
        if (resp.statusCode() != 200) {
            return new Refused(resp.statusCode(), resp.statusCode() + " from " + endpoint + ": " + shorten(body));
        }
        return verified(signedCheckpoint, body);
    }

    /**
     * Submits the checkpoint, proving consistency from {@code knownSize} (the size the witness
     * cosigned last, as far as the caller knows; 0 if unknown). On a 409 it asks {@code proofs}
     * for a proof from the size the witness reports and tries once more.
     */
    public Outcome submit(String signedCheckpoint, long checkpointSize, long knownSize, ProofSource proofs)
            throws Exception {
        long from = Math.min(knownSize, checkpointSize);
        Outcome o = addCheckpoint(signedCheckpoint, from, proof(proofs, from, checkpointSize));
        if (o instanceof Conflict c && c.witnessSize() != from) {
            if (c.witnessSize() > checkpointSize) {
                return o; // the witness is ahead: nothing to prove, the caller moves on to a newer checkpoint
            }
            o = addCheckpoint(signedCheckpoint, c.witnessSize(), proof(proofs, c.witnessSize(), checkpointSize));
        }
        return o;
    }

    private static List<byte[]> proof(ProofSource proofs, long from, long to) throws Exception {
        return from == 0 || from == to ? List.of() : proofs.consistency(from, to);
    }

    private Outcome verified(String signedCheckpoint, String lines) {
        int end = signedCheckpoint.lastIndexOf("\n\n");
        if (end < 0) {
            return new Refused(0, "the submitted checkpoint is not a signed note");
        }
        String text = signedCheckpoint.substring(0, end + 1);
        try {
            Checkpoint.parse(text);
            StringBuilder mine = new StringBuilder();
            for (String l : lines.split("\n", -1)) {
                if (l.startsWith("\u2014 " + witnessKey.name() + " ")) {
                    mine.append(l).append('\n');
                }
            }
            if (mine.length() == 0) {
                return new Refused(0, "the witness at " + endpoint + " answered 200 without a cosignature line by "
                        + witnessKey.name());
            }
            List<Cosignature> cs = Cosignature.verify(text + "\n" + mine, List.of(witnessKey));
            if (cs.isEmpty()) {
                return new Refused(0, "the witness at " + endpoint + " answered no cosignature by the pinned key "
                        + witnessKey.name() + "+" + witnessKey.keyIdHex());
            }
            return new Cosigned(cs.get(0).line(), cs.get(0));
        } catch (GeneralSecurityException e) {
            return new Refused(0, "the cosignature from " + endpoint + " does not verify: " + e.getMessage());
        }
    }

    private static String shorten(String s) {
        String t = s.strip();
        return t.length() > 300 ? t.substring(0, 300) + "..." : t;
    }
}
