package org.foureyes.auditlog.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.foureyes.auditlog.VerifierKey;
import org.foureyes.auditlog.verify.ReceiptFormatException;
import org.foureyes.auditlog.verify.ReceiptVerifier;

/** {@code foureyes-verify receipt --key K [--json] RECEIPT.json}. */
final class ReceiptCommand {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private ReceiptCommand() {
    }

    static int run(String[] args, PrintStream out, PrintStream err) throws VerifyMain.UsageException {
        String keyArg = null;
        boolean json = false;
        String writeTlogProof = null;
        List<String> positional = new ArrayList<>();
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--key" -> {
                    if (++i >= args.length) {
                        throw new VerifyMain.UsageException("receipt: --key needs a value");
                    }
                    keyArg = args[i];
                }
                case "--json" -> json = true;
                case "--write-tlog-proof" -> {
                    if (++i >= args.length) {
                        throw new VerifyMain.UsageException("receipt: --write-tlog-proof needs a file");
                    }
                    writeTlogProof = args[i];
                }
                case "--debug" -> {
                }
                case "-h", "--help" -> {
                    out.print(VerifyMain.USAGE_TEXT);
                    return VerifyMain.OK;
                }
                default -> {
                    if (a.startsWith("--key=")) {
                        keyArg = a.substring(6);
                    } else if (a.startsWith("-") && !a.equals("-")) {
                        throw new VerifyMain.UsageException("receipt: unknown option " + VerifyMain.printable(a));
                    } else {
                        positional.add(a);
                    }
                }
            }
        }
        if (keyArg == null) {
            throw new VerifyMain.UsageException("receipt: --key is required (the log's verifier key, or @file)");
        }
        if (positional.size() != 1) {
            throw new VerifyMain.UsageException("receipt: expected exactly one receipt file (- for stdin), got "
                    + positional.size());
        }
        VerifierKey key = VerifyMain.parseKey(keyArg);
        String text;
        try {
            text = read(positional.get(0));
        } catch (IOException e) {
            return VerifyMain.inputError(e.getMessage(), json, out, err);
        }
        ReceiptVerifier.Result r;
        try {
            r = ReceiptVerifier.verifyAny(text, key);
        } catch (ReceiptFormatException e) {
            return VerifyMain.inputError(e.getMessage(), json, out, err);
        }
        ObjectNode o = MAPPER.createObjectNode();
        if (r instanceof ReceiptVerifier.Valid v) {
            String line = "receipt verified: entry " + v.entry().seq() + " (" + v.entry().type() + ", "
                    + v.entry().time() + ") is in the tree of " + v.checkpoint().origin() + " size "
                    + v.checkpoint().size() + " signed by " + key.name() + "+" + key.keyIdHex();
            if (json) {
                o.put("verified", true);
                o.put("seq", v.entry().seq());
                o.put("type", v.entry().type());
                o.put("origin", v.checkpoint().origin());
                o.put("size", v.checkpoint().size());
                o.put("root", FullLog.b64(v.checkpoint().rootHash()));
                o.put("leaf_hash", FullLog.b64(v.entry().leafHash()));
                o.put("key", key.name() + "+" + key.keyIdHex());
                out.println(o);
            } else {
                out.println(line);
            }
            if (writeTlogProof != null) {
                // Written only once the receipt verified, so the file is never a proof that does not hold.
                ReceiptVerifier.Receipt parsed;
                try {
                    parsed = org.foureyes.auditlog.tiles.TlogProof.looksLike(text) ? ReceiptVerifier.fromTlogProof(text)
                            : ReceiptVerifier.parse(text);
                    Files.writeString(Path.of(writeTlogProof), ReceiptVerifier.toTlogProof(parsed),
                            StandardCharsets.UTF_8);
                } catch (ReceiptFormatException | IOException | RuntimeException e) {
                    return VerifyMain.inputError("cannot write " + writeTlogProof + ": " + e.getMessage(), json, out, err);
                }
                err.println("wrote the receipt in C2SP tlog-proof form to " + writeTlogProof);
            }
            return VerifyMain.OK;
        }
        ReceiptVerifier.Invalid inv = (ReceiptVerifier.Invalid) r;
        if (json) {
            o.put("verified", false);
            o.put("check", inv.check());
            o.put("message", inv.message());
            out.println(o);
        }
        err.println("foureyes-verify: FAILED: " + inv.message());
        return VerifyMain.FAILED;
    }

    private static String read(String arg) throws IOException {
        byte[] bytes;
        if (arg.equals("-")) {
            bytes = System.in.readNBytes(ReceiptVerifier.MAX_RECEIPT_BYTES + 1);
        } else {
            Path p;
            try {
                p = Path.of(arg);
            } catch (RuntimeException e) {
                throw new IOException("receipt: invalid path " + VerifyMain.printable(arg));
            }
            try {
                if (Files.size(p) > ReceiptVerifier.MAX_RECEIPT_BYTES) {
                    throw new IOException("receipt file " + p + " is larger than "
                            + ReceiptVerifier.MAX_RECEIPT_BYTES + " bytes");
                }
                bytes = Files.readAllBytes(p);
            } catch (NoSuchFileException e) {
                throw new IOException("receipt file " + p + " does not exist");
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException e) {
            throw new IOException("receipt " + arg + " is not UTF-8 text");
        }
    }
}
