package org.foureyes.auditlog;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Ed25519 witness cosignatures of checkpoints, C2SP tlog-cosignature/v1
 * (https://c2sp.org/tlog-cosignature). A cosignature is a signature line on the checkpoint note,
 * {@code — <witness name> base64(key id || uint64 timestamp || Ed25519 signature)}, over the
 * message {@code "cosignature/v1\ntime <timestamp>\n" || checkpoint body}.
 *
 * <p>Security guarantee of {@link #verify}: each returned cosignature was made by the given
 * witness key over exactly this checkpoint body and timestamp, that is, the witness states that
 * as of that time this was the largest consistent tree head it had seen for the origin. It does
 * not check the log's own signature: use {@link SignedCheckpoint#open} for that, and count the
 * witnesses against your quorum.
 */
public final class Cosignature {
    private static final int PAYLOAD_SIZE = 8 + VerifierKey.SIGNATURE_SIZE; // after the key id

    private final WitnessKey witness;
    private final long timestamp;
    private final byte[] signature;

    private Cosignature(WitnessKey witness, long timestamp, byte[] signature) {
        this.witness = witness;
        this.timestamp = timestamp;
        this.signature = signature;
    }

    /** The message a witness signs: {@code cosignature/v1\ntime <t>\n} then the checkpoint body. */
    static byte[] signedMessage(Checkpoint checkpoint, long unixTime) {
        return ("cosignature/v1\ntime " + unixTime + "\n" + checkpoint.body()).getBytes(StandardCharsets.UTF_8);
    }

    /**
     * Cosigns a checkpoint. The caller (the witness) must have checked that the checkpoint is
     * consistent with every checkpoint of this origin it has cosigned before.
     *
     * @param unixTime the cosigning time in seconds since the Epoch, 0 to 2^63-1
     * @return the signature line, ending in a newline, to append to the checkpoint note
     */
    public static String sign(Checkpoint checkpoint, SignerKey witness, long unixTime) {
        Objects.requireNonNull(checkpoint, "checkpoint");
        if (unixTime < 0) {
            throw new IllegalArgumentException("cosignature time must not be negative, got " + unixTime);
        }
        byte[] sig = witness.sign(signedMessage(checkpoint, unixTime));
        WitnessKey key = WitnessKey.forSigner(witness);
        byte[] payload = ByteBuffer.allocate(PAYLOAD_SIZE).putLong(unixTime).put(sig).array();
        return new NoteSignature(key.name(), key.keyId(), payload, null).line();
    }

    /**
     * Verifies the cosignatures by {@code witnesses} on a checkpoint note and returns them in
     * note order. Lines of other keys (the log's signature, unknown witnesses) are ignored. A
     * witness with no line is simply absent from the result.
     *
     * @throws NoteFormatException if the note or checkpoint body is malformed, or a known
     *     witness's line is not 4 + 8 + 64 bytes or has a timestamp above 2^63-1
     * @throws BadSignatureException if a known witness's cosignature does not verify (the whole
     *     note is then rejected, as for note signatures)
     */
    public static List<Cosignature> verify(String note, Collection<WitnessKey> witnesses)
            throws NoteFormatException, BadSignatureException {
        Map<String, WitnessKey> byId = new HashMap<>();
        for (WitnessKey w : witnesses) {
            byId.put(w.name() + "+" + w.keyIdHex(), w);
        }
        NoteParser.Parsed parsed = NoteParser.parse(note);
        Checkpoint checkpoint = Checkpoint.parse(parsed.text);
        List<Cosignature> result = new ArrayList<>();
        for (NoteParser.RawSignature raw : parsed.signatures) {
            WitnessKey w = byId.get(raw.name + "+" + Encoding.hex8(raw.keyId));
            if (w == null) {
                continue;
            }
            if (raw.signature.length != PAYLOAD_SIZE) {
                throw new NoteFormatException("malformed cosignature by " + w.name() + "+" + w.keyIdHex()
                        + ": expected 76 bytes (key id, timestamp, signature), got " + (4 + raw.signature.length));
            }
            ByteBuffer buf = ByteBuffer.wrap(raw.signature);
            long time = buf.getLong();
            if (time < 0) {
                throw new NoteFormatException("malformed cosignature by " + w.name() + "+" + w.keyIdHex()
                        + ": timestamp " + Long.toUnsignedString(time) + " exceeds 2^63-1");
            }
            byte[] sig = new byte[VerifierKey.SIGNATURE_SIZE];
            buf.get(sig);
            if (!w.isValid(signedMessage(checkpoint, time), sig)) {
                throw new BadSignatureException("cosignature by witness " + w.name() + "+" + w.keyIdHex()
                        + " with time " + time + " does not verify for checkpoint " + checkpoint.origin()
                        + " size " + checkpoint.size());
            }
            result.add(new Cosignature(w, time, sig));
        }
        return result;
    }

    /** The witness that made this cosignature. */
    public WitnessKey witness() {
        return witness;
    }

    /** The cosigning time, in seconds since the Epoch, as stated by the witness. */
    public long timestamp() {
        return timestamp;
    }

    /** A copy of the 64-byte Ed25519 signature. */
    public byte[] signature() {
        return signature.clone();
    }

    /** The signature line, ending in a newline. */
    public String line() {
        byte[] payload = ByteBuffer.allocate(PAYLOAD_SIZE).putLong(timestamp).put(signature).array();
        return new NoteSignature(witness.name(), witness.keyId(), payload, null).line();
    }

    @Override
    public String toString() {
        return "Cosignature[" + witness.name() + "+" + witness.keyIdHex() + ", time " + timestamp + "]";
    }
}
