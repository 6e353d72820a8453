package org.foureyes.server.resources;

import com.fasterxml.jackson.databind.JsonNode;
import jakarta.ws.rs.core.Response;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Optional;
import org.foureyes.ledger.ChangeRecord;
import org.foureyes.server.api.ChangeView;
import org.foureyes.server.api.ProblemType;
import org.foureyes.server.api.StatementAccepted;
import org.foureyes.server.core.ServerLedger;
import org.foureyes.server.core.StatementPeek;
import org.foureyes.server.core.Workflow;
import org.foureyes.statement.StatementType;

/**
 * What the POST endpoints share: reading the body (a compact JWS, size-limited), checking the URL
 * against the statement's claim, submitting it to the workflow and answering 201 or problem+json.
 */
public final class StatementEndpoint {
    public static final String JOSE = "application/jose";

    private final Workflow workflow;
    private final int maxBytes;
    private final boolean publicLog;

    /**
     * @param publicLog whether the log is public; on a private one a refusal of a statement that is
     *     not authentically signed says only "not authentic" (docs/api.md, "What a private log reveals")
     */
    public StatementEndpoint(Workflow workflow, int maxBytes, boolean publicLog) {
        this.workflow = workflow;
        this.maxBytes = maxBytes;
        this.publicLog = publicLog;
    }

    public ServerLedger ledger() {
        return workflow.ledger();
    }

    /** Reads the body: at most {@code maxBytes}, strict UTF-8, surrounding white space dropped. */
    public String body(InputStream in, String contentLength) {
        if (contentLength != null) {
            try {
                if (Long.parseLong(contentLength.trim()) > maxBytes) {
                    throw tooLarge();
                }
            } catch (NumberFormatException e) {
                // Jetty checks the header; the stream limit below still holds.
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        try (in) {
            int n;
            while ((n = in.read(buf)) > 0) {
                if (out.size() + n > maxBytes) {
                    throw tooLarge();
                }
                out.write(buf, 0, n);
            }
        } catch (IOException e) {
            throw new ProblemException(ProblemType.BAD_REQUEST, "The request body could not be read: " + e.getMessage());
        }
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(out.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new StatementProblems.Exception(StatementProblems.of("malformed",
                    "The body is not UTF-8 text; send the compact JWS (header.payload.signature) as the body.", null,
                    null, null, false, null));
        }
        text = text.strip();
        if (text.isEmpty()) {
            throw new StatementProblems.Exception(StatementProblems.of("malformed",
                    "The body is empty; send the signed statement (a compact JWS) as the body.", null, null, null,
                    false, null));
        }
        return text;
    }

    private StatementProblems.Exception tooLarge() {
        return new StatementProblems.Exception(StatementProblems.of("too-large", "The body exceeds " + maxBytes
                + " bytes; a statement is at most 64 KiB. Make the configuration or the text smaller.", null, null,
                null, false, null));
    }

    /** 400 when the statement's {@code change} claim is an integer other than the URL's id. */
    public static void checkChange(String compact, long urlChange) {
        Optional<JsonNode> claim = StatementPeek.payload(compact).map(p -> p.get("change"))
                .filter(JsonNode::isIntegralNumber);
        if (claim.isPresent() && claim.get().asLong() != urlChange) {
            throw new StatementProblems.Exception(StatementProblems.of("change-mismatch", "The URL names change "
                    + urlChange + " but the statement is about change " + claim.get().asLong()
                    + "; post it to /v1/changes/" + claim.get().asLong() + "/...", urlChange, null, null, false,
                    null));
        }
    }

    /** 400 when the statement's {@code component} claim is a string other than the URL's name. */
    public static void checkComponent(String compact, String urlComponent) {
        Optional<JsonNode> claim = StatementPeek.payload(compact).map(p -> p.get("component"))
                .filter(JsonNode::isTextual);
        if (claim.isPresent() && !claim.get().asText().equals(urlComponent)) {
            throw new StatementProblems.Exception(StatementProblems.of("component-mismatch", "The URL names component "
                    + urlComponent + " but the statement is about " + claim.get().asText() + "; post it to"
                    + " /v1/components/" + claim.get().asText() + "/reports", null, urlComponent, null, false, null));
        }
    }

    /** Submits and answers: 201 with the change and the receipt, or the refusal as problem+json. */
    public Response submit(String compact, StatementType expected, Long urlChange) {
        Workflow.Answer answer;
        try {
            answer = workflow.submit(compact, expected);
        } catch (Workflow.UnavailableException e) {
            throw new ProblemException(ProblemType.LOG_UNAVAILABLE, e.getMessage());
        }
        if (answer instanceof Workflow.Accepted a) {
            ChangeView view = a.record() != null ? Views.view(a.record(), java.util.Optional.ofNullable(a.evaluation()))
                    : ledger().read(l -> l.change(a.change()).map(r -> Views.view(l, r)).orElse(null));
            return Response.created(URI.create("/v1/changes/" + a.change()))
                    .entity(new StatementAccepted(view, a.state(), a.explanation(), a.receipt(),
                            a.receipts().size() > 1 ? a.receipts() : null))
                    .type("application/json").build();
        }
        Workflow.Refused r = (Workflow.Refused) answer;
        if (!publicLog && !r.refusal().authentic()) {
            // Whoever cannot sign as a principal learns nothing of a private log: not the change's
            // component or missing approvals, not the principals or key ids the refusal would name.
            return StatementProblems.response(StatementProblems.notAuthentic());
        }
        Long change = urlChange != null ? urlChange
                : StatementPeek.payload(compact).map(p -> p.get("change")).filter(JsonNode::isIntegralNumber)
                        .map(JsonNode::asLong).orElse(null);
        String component = null;
        List<String> missing = null;
        if (change != null) {
            long id = change;
            Optional<ChangeRecord> rec = ledger().read(l -> l.change(id));
            if (rec.isPresent()) {
                component = rec.get().component();
                missing = ledger().read(l -> Views.missing(l, rec.get()));
            }
        } else {
            component = StatementPeek.payload(compact).map(p -> p.get("component")).filter(JsonNode::isTextual)
                    .map(JsonNode::asText).orElse(null);
        }
        boolean logged = r.logged() != null;
        return StatementProblems.response(StatementProblems.of(r.refusal(), change, component, missing, logged,
                logged ? r.logged().seq() : null));
    }
}
