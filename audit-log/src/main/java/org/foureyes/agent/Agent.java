package org.foureyes.agent;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import org.erdtman.jcs.JsonCanonicalizer;
import org.foureyes.agent.AgentException.Check;
import org.foureyes.auditlog.Checkpoint;
import org.foureyes.auditlog.CompactRange;
import org.foureyes.auditlog.Cosignature;
import org.foureyes.auditlog.EntryFormatException;
import org.foureyes.auditlog.EntryType;
import org.foureyes.auditlog.LogEntry;
import org.foureyes.auditlog.ProofException;
import org.foureyes.auditlog.ProofVerifier;
import org.foureyes.auditlog.Rfc6962;
import org.foureyes.auditlog.SignedCheckpoint;
import org.foureyes.auditlog.SignerKey;
import org.foureyes.ledger.ChangeRecord;
import org.foureyes.ledger.Ledger;
import org.foureyes.ledger.LedgerException;
import org.foureyes.policy.ChangeState;
import org.foureyes.statement.ConfigHash;
import org.foureyes.statement.IJson;
import org.foureyes.statement.IJsonException;
import org.foureyes.statement.ReportClaims;
import org.foureyes.statement.StatementSigner;

/**
 * The agent on a managed machine (design: Agents, Invariant 5; docs/agent.md). One {@link #round()}
 * fetches a release, verifies it completely against what the agent pinned and kept, replays every
 * new entry through the {@link Ledger}, and only then considers applying the newest approved change
 * of its component. Not thread-safe: one round at a time.
 */
public final class Agent {

    /** What a round did about the component. */
    public enum Action {
        /** Nothing approved to apply. */
        IDLE,
        /** A change was handled already and its report is not in the log yet, or the checkpoint ends mid-batch. */
        WAITING,
        /** A change was applied and reported. */
        APPLIED,
        /** A change was attempted, the hook failed, the previous configuration is back; reported failed. */
        FAILED
    }

    /**
     * The result of a round that passed every check.
     *
     * @param size the size of the checkpoint now kept
     * @param newEntries how many entries this round verified
     * @param action what the round did
     * @param change the change applied or attempted, or null
     * @param notes one line per thing worth telling the operator (drift, reports, recovery)
     */
    public record RoundResult(long size, int newEntries, Action action, Long change, List<String> notes) {
        public RoundResult {
            notes = List.copyOf(notes);
        }
    }

    /** SHA-256 of zero bytes: the {@code applied} of a report when no configuration is in place. */
    static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);
    private static final Duration TOKEN_LIFETIME = Duration.ofMinutes(5);
    private static final int MAX_DETAIL = 500;

    private final AgentConfig config;
    private final Host host;
    private final Clock clock;
    private final StatementSigner signer;
    private final String origin;
    private final Path dir;

    private AgentState state;
    private Ledger ledger;          // the verified log up to state.size; null until loaded (or after a refused replay)
    private CompactRange range;     // its tree border
    private Checkpoint kept;        // the kept checkpoint, null at size 0

    public Agent(AgentConfig config, SignerKey key, Host host, Clock clock) throws AgentException {
        this.config = Objects.requireNonNull(config, "config");
        this.host = Objects.requireNonNull(host, "host");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.origin = config.logKey().name();
        this.dir = config.stateDir();
        try {
            this.signer = StatementSigner.of(key, clock);
        } catch (GeneralSecurityException e) {
            throw new AgentException(Check.CONFIG, "cannot use the agent key " + key + ": " + e.getMessage(), e);
        }
    }

    // ================================================================ start: the kept state

    /**
     * Reads the state directory and replays the kept entries through a fresh ledger, checking the
     * pins and that they hash to the kept checkpoint's root. Called by the first round.
     */
    public void load() throws AgentException {
        try {
            Files.createDirectories(dir);
            try {
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
            } catch (UnsupportedOperationException e) {
                // not POSIX
            }
        } catch (IOException e) {
            throw new AgentException(Check.STATE, "cannot create the state directory " + dir + ": " + e.getMessage(), e);
        }
        AgentState s = AgentState.read(dir);
        Checkpoint cp = null;
        if (s.checkpoint != null) {
            try {
                cp = SignedCheckpoint.open(s.checkpoint, config.logKey());
            } catch (GeneralSecurityException e) {
                throw new AgentException(Check.STATE, "the kept checkpoint in " + dir.resolve(AgentState.STATE)
                        + " does not verify with the pinned log key: " + e.getMessage(), e);
            }
            if (cp.size() != s.size) {
                throw new AgentException(Check.STATE, "state.json keeps size " + s.size + " but its checkpoint has size "
                        + cp.size());
            }
        }
        Ledger l = new Ledger();
        CompactRange r = CompactRange.empty();
        AgentState.readEntries(dir, s.size, bytes -> {
            LogEntry e;
            try {
                e = LogEntry.parse(bytes);
                l.apply(e);
            } catch (EntryFormatException | LedgerException x) {
                throw new AgentException(Check.STATE, "the kept entries in " + dir.resolve(AgentState.ENTRIES)
                        + " no longer replay: " + x.getMessage(), x);
            }
            if (e.seq() == 0) {
                checkGenesis(l, Check.STATE);
            }
            r.append(e.leafHash(), (id, h) -> { });
        });
        if (cp != null && !Arrays.equals(r.root(), cp.rootHash())) {
            throw new AgentException(Check.STATE, "the kept entries do not hash to the kept checkpoint's root "
                    + b64(cp.rootHash()) + " (they give " + b64(r.root()) + ")");
        }
        this.state = s;
        this.ledger = l;
        this.range = r;
        this.kept = cp;
    }

    // ================================================================ one round

    /**
     * One round: verify, keep, then act. Throws for the first check that fails; a verification
     * failure ({@link Check#verification()}) writes nothing at all.
     */
    public RoundResult round() throws AgentException {
        if (ledger == null) {
            load();
        }
        List<String> notes = new ArrayList<>();
        recoverPending(notes);

        // 1. fetch
        String token = signer.accessToken(origin, TOKEN_LIFETIME);
        long keptSize = state.size;
        Release rel;
        try {
            rel = host.release(config.component(), keptSize, token);
        } catch (IOException | Host.HostException e) {
            throw new AgentException(Check.FETCH, "cannot fetch the release since " + keptSize + " from "
                    + config.server() + ": " + e.getMessage(), e);
        }
        if (rel.since() != keptSize) {
            throw new AgentException(Check.FETCH, "asked for the release since " + keptSize + ", the host answered one"
                    + " since " + rel.since());
        }
        // 2. checkpoint signature
        Checkpoint cp;
        try {
            cp = SignedCheckpoint.open(rel.checkpoint(), config.logKey());
        } catch (GeneralSecurityException e) {
            throw new AgentException(Check.CHECKPOINT_SIGNATURE, "the checkpoint is not signed by the pinned log key "
                    + config.logKey().name() + "+" + config.logKey().keyIdHex() + ": " + e.getMessage(), e);
        }
        // 3. cosignatures
        checkCosignatures(rel.checkpoint(), cp);
        // 4. consistency with the kept checkpoint
        byte[] keptRoot = kept == null ? Rfc6962.emptyRoot() : kept.rootHash();
        if (cp.size() < keptSize) {
            throw new AgentException(Check.CHECKPOINT_SIZE, "the host's newest checkpoint has size " + cp.size()
                    + ", smaller than the checkpoint of size " + keptSize + " this agent verified before: the log was"
                    + " rolled back, or this is another log");
        }
        if (cp.size() == keptSize && !Arrays.equals(cp.rootHash(), keptRoot)) {
            throw new AgentException(Check.CONSISTENCY, "the host's checkpoint of size " + cp.size() + " has root "
                    + b64(cp.rootHash()) + ", but the checkpoint of that size this agent verified before has root "
                    + b64(keptRoot) + ": the log forked");
        }
        try {
            ProofVerifier.verifyConsistency(keptSize, cp.size(), keptRoot, cp.rootHash(), rel.consistencyProof());
        } catch (ProofException | IllegalArgumentException e) {
            throw new AgentException(Check.CONSISTENCY, "the checkpoint of size " + cp.size() + " is not proven to"
                    + " extend the kept checkpoint of size " + keptSize + ": " + e.getMessage(), e);
        }
        // 5. every entry since the kept size, and nothing else, hashing to the signed root
        List<LogEntry> fresh = collectEntries(rel, cp, keptSize, token);
        CompactRange next = CompactRange.fromBorder(range.size(), range.border());
        for (LogEntry e : fresh) {
            next.append(e.leafHash(), (id, h) -> { });
        }
        if (!Arrays.equals(next.root(), cp.rootHash())) {
            throw new AgentException(Check.ENTRIES, "the " + fresh.size() + " entries served for seq " + keptSize
                    + " to " + (cp.size() - 1) + " do not extend the kept tree to the checkpoint's root "
                    + b64(cp.rootHash()) + " (they give " + b64(next.root()) + "): an entry was altered");
        }
        // 6. the verifying replay of every entry
        for (LogEntry e : fresh) {
            try {
                ledger.apply(e);
            } catch (LedgerException x) {
                ledger = null; // partly advanced: rebuilt from the state directory next round
                throw new AgentException(Check.LEDGER, x.getMessage(), x);
            }
            if (e.seq() == 0) {
                try {
                    checkGenesis(ledger, Check.GENESIS);
                } catch (AgentException x) {
                    ledger = null;
                    throw x;
                }
            }
        }
        // 7. keep what was verified: entries first, then the state that names their count
        try {
            List<byte[]> bytes = new ArrayList<>(fresh.size());
            fresh.forEach(e -> bytes.add(e.bytes()));
            AgentState.appendEntries(dir, bytes);
            state.checkpoint = rel.checkpoint();
            state.size = cp.size();
            state.save(dir);
        } catch (IOException e) {
            ledger = null;
            throw new AgentException(Check.STATE, "cannot keep the verified checkpoint in " + dir + ": " + e.getMessage(), e);
        }
        range = next;
        kept = cp;

        // 8. act on the verified log
        deliver(notes);
        detectDrift(notes);
        RoundResult result = applyNewest(fresh.size(), notes);
        deliver(notes);
        return new RoundResult(result.size(), result.newEntries(), result.action(), result.change(), notes);
    }

    private void checkCosignatures(String note, Checkpoint cp) throws AgentException {
        if (config.witnessQuorum() == 0) {
            return;
        }
        List<Cosignature> cos;
        try {
            cos = Cosignature.verify(note, config.witnesses());
        } catch (GeneralSecurityException e) {
            throw new AgentException(Check.COSIGNATURES, "a cosignature on the checkpoint of size " + cp.size()
                    + " is invalid: " + e.getMessage(), e);
        }
        Set<String> by = new HashSet<>();
        cos.forEach(c -> by.add(c.witness().name() + "+" + c.witness().keyIdHex()));
        if (by.size() < config.witnessQuorum()) {
            throw new AgentException(Check.COSIGNATURES, "the checkpoint of size " + cp.size() + " is cosigned by "
                    + by.size() + " of the configured witnesses " + by + ", but " + config.witnessQuorum()
                    + " must cosign");
        }
    }

    private List<LogEntry> collectEntries(Release rel, Checkpoint cp, long keptSize, String token) throws AgentException {
        long need = cp.size() - keptSize;
        List<LogEntry> out = new ArrayList<>();
        take(rel.entries(), out, keptSize, need, cp.size());
        while (out.size() < need) {
            List<byte[]> page;
            long start = keptSize + out.size();
            try {
                page = host.entries(start, cp.size(), token);
            } catch (IOException | Host.HostException e) {
                throw new AgentException(Check.FETCH, "cannot fetch entries from seq " + start + ": " + e.getMessage(), e);
            }
            if (page.isEmpty()) {
                throw new AgentException(Check.ENTRIES, "the host stopped serving entries at seq " + start
                        + ", below the checkpoint's size " + cp.size());
            }
            take(page, out, keptSize, need, cp.size());
        }
        return out;
    }

    /** Parses served entries in order, each the next seq, never more than the checkpoint covers. */
    private static void take(List<byte[]> raw, List<LogEntry> out, long keptSize, long need, long size)
            throws AgentException {
        for (byte[] bytes : raw) {
            long seq = keptSize + out.size();
            if (out.size() >= need) {
                throw new AgentException(Check.ENTRIES, "the host served more entries than lie between the kept size "
                        + keptSize + " and the checkpoint's size " + size);
            }
            LogEntry e;
            try {
                e = LogEntry.parse(bytes);
            } catch (EntryFormatException x) {
                throw new AgentException(Check.ENTRIES, "what the host served as entry " + seq
                        + " is not a canonical log entry: " + x.getMessage(), x);
            }
            if (e.seq() != seq) {
                throw new AgentException(Check.ENTRIES, "the host served entry " + e.seq() + " where entry " + seq
                        + " belongs: an entry was hidden, added or reordered");
            }
            out.add(e);
        }
    }

    private void checkGenesis(Ledger l, Check check) throws AgentException {
        String hash = l.policyHistory().get(0).sha256();
        if (!hash.equals(config.genesisPolicySha256())) {
            throw new AgentException(check, "the genesis entry's policy has SHA-256 " + hash + ", but this agent pins "
                    + config.genesisPolicySha256());
        }
        if (!l.logKey().equals(config.logKey())) {
            throw new AgentException(check, "the genesis entry names the log key " + l.logKey()
                    + ", but this agent pins " + config.logKey());
        }
    }

    // ================================================================ acting on the verified log

    private RoundResult applyNewest(int fresh, List<String> notes) throws AgentException {
        String name = config.component();
        if (state.pending != null) {
            return new RoundResult(state.size, fresh, Action.WAITING, state.pending.change(), notes);
        }
        if (!ledger.owed().isEmpty()) {
            notes.add("the checkpoint ends in the middle of a batch (" + ledger.owed().size()
                    + " owed entries missing); nothing is applied until they are logged");
            return new RoundResult(state.size, fresh, Action.WAITING, null, notes);
        }
        if (ledger.component(name).isEmpty() || !ledger.policy().policy().components().containsKey(name)) {
            throw new AgentException(Check.CONFIG, "the policy in force (" + ledger.policy().sha256()
                    + ") has no component " + name);
        }
        // openChanges is indexed (open changes only); changes(name, state) would scan the whole log.
        List<ChangeRecord> approved = new ArrayList<>();
        for (ChangeRecord r : ledger.openChanges(name)) {
            if (r.state() == ChangeState.APPROVED) {
                approved.add(r);
            }
        }
        if (approved.isEmpty()) {
            return new RoundResult(state.size, fresh, Action.IDLE, null, notes);
        }
        ChangeRecord c = approved.get(0);
        for (ChangeRecord r : approved) {
            if (r.id() > c.id()) {
                c = r;
            }
        }
        if (state.handled != null && c.id() == state.handled) {
            return new RoundResult(state.size, fresh, Action.WAITING, c.id(), notes);
        }
        if (state.applied != null && c.id() <= state.applied.change()) {
            throw new AgentException(Check.CHANGE_ORDER, "change " + c.id() + " to " + name + " is approved, but it is"
                    + " not above change " + state.applied.change() + ", the last one this agent applied: applying it"
                    + " would roll the configuration back");
        }
        String current = currentHash();
        String base = c.base().orElse(null);
        if (!Objects.equals(base, current)) {
            throw new AgentException(Check.BASE, "change " + c.id() + " to " + name + " replaces the configuration "
                    + (base == null ? "none (a first configuration)" : base) + ", but what is in place at "
                    + config.target() + " is " + (current == null ? "nothing (the file does not exist)" : current));
        }
        Instant approvedAt = c.approvedAt().orElseThrow();
        Duration ttl = ledger.policy().policy().timing().applyTtl();
        Instant deadline = approvedAt.plus(ttl);
        Instant logTime = ledger.lastTime().orElseThrow();
        Instant now = clock.instant();
        Instant judged = now.isAfter(logTime) ? now : logTime;
        if (!judged.isBefore(deadline)) {
            throw new AgentException(Check.APPLY_TTL, "change " + c.id() + " to " + name + " was approved at "
                    + approvedAt + " (the last approving decision's iat); apply_ttl " + ttl + " ran out at " + deadline
                    + ". The latest verified entry is from " + logTime + " and this machine's clock says " + now);
        }
        return apply(c, deadline, current, fresh, notes);
    }

    private RoundResult apply(ChangeRecord c, Instant deadline, String current, int fresh, List<String> notes)
            throws AgentException {
        byte[] bytes;
        try {
            bytes = new JsonCanonicalizer(c.config().toString()).getEncodedUTF8();
        } catch (IOException e) {
            throw new AgentException(Check.WRITE, "cannot canonicalise change " + c.id() + "'s configuration", e);
        }
        if (!sha256Hex(bytes).equals(c.configSha256())) {
            throw new AgentException(Check.WRITE, "change " + c.id() + "'s configuration does not canonicalise to its"
                    + " hash " + c.configSha256());
        }
        try {
            byte[] previous = AtomicFiles.readOrNull(config.target());
            if (previous != null) {
                AtomicFiles.write(dir.resolve(AgentState.PREVIOUS), previous, AgentState.PRIVATE);
            } else {
                AtomicFiles.delete(dir.resolve(AgentState.PREVIOUS));
            }
            state.pending = new AgentState.Pending(c.id(), c.configSha256(), current, previous != null, deadline);
            state.save(dir);
        } catch (IOException e) {
            throw new AgentException(Check.WRITE, "cannot record the apply of change " + c.id() + " in " + dir
                    + " (nothing was changed): " + e.getMessage(), e);
        }
        try {
            AtomicFiles.write(config.target(), bytes, PosixFilePermissions.fromString("rw-r--r--"));
        } catch (IOException e) {
            return finish(c.id(), false, "cannot write " + config.target() + ": " + e.getMessage(), fresh, notes);
        }
        Hook.Result r = runHook(c.id(), c.configSha256(), false);
        return finish(c.id(), r.ok(), r.detail(), fresh, notes);
    }

    /** Ends an apply: keeps it, or restores the previous configuration; then records the report to send. */
    private RoundResult finish(long change, boolean ok, String detail, int fresh, List<String> notes)
            throws AgentException {
        AgentState.Pending p = state.pending;
        try {
            if (ok) {
                state.applied = new AgentState.Applied(change, p.sha256());
                state.driftReported.clear();
                state.outbox.add(new AgentState.Outgoing(change, ReportClaims.Status.APPLIED, p.sha256(), detail(detail)));
                notes.add("applied change " + change + " (" + p.sha256() + "): " + detail);
            } else {
                String restored = restorePrevious(p);
                String inPlace = p.previousPresent() ? p.previousSha256() : EMPTY_SHA256;
                state.outbox.add(new AgentState.Outgoing(change, ReportClaims.Status.FAILED, inPlace,
                        detail(detail + "; " + restored)));
                notes.add("change " + change + " failed: " + detail + "; " + restored);
            }
            state.handled = change;
            state.pending = null;
            state.save(dir);
        } catch (IOException e) {
            throw new AgentException(Check.WRITE, "cannot finish the apply of change " + change + ": " + e.getMessage(), e);
        }
        return new RoundResult(state.size, fresh, ok ? Action.APPLIED : Action.FAILED, change, notes);
    }

    private String restorePrevious(AgentState.Pending p) throws IOException {
        if (p.previousPresent()) {
            byte[] previous = Files.readAllBytes(dir.resolve(AgentState.PREVIOUS));
            AtomicFiles.write(config.target(), previous, PosixFilePermissions.fromString("rw-r--r--"));
        } else {
            AtomicFiles.delete(config.target());
        }
        Long before = state.applied == null ? null : state.applied.change();
        Hook.Result again = runHook(before == null ? -1 : before, p.previousPresent() ? p.previousSha256() : "", true);
        return "previous configuration restored" + (p.previousPresent() ? "" : " (no file)") + ", hook re-run: "
                + again.detail();
    }

    /** An apply that a crash interrupted (docs/agent.md, "Crash safety"). */
    private void recoverPending(List<String> notes) throws AgentException {
        AgentState.Pending p = state.pending;
        if (p == null) {
            return;
        }
        String h = currentHash();
        if (Objects.equals(h, p.sha256())) {
            if (!clock.instant().isBefore(p.deadline())) {
                finish(p.change(), false, "the agent was interrupted while applying and came back after apply_ttl ran"
                        + " out at " + p.deadline(), 0, notes);
            } else {
                Hook.Result r = runHook(p.change(), p.sha256(), false);
                finish(p.change(), r.ok(), "after an interrupted apply, " + r.detail(), 0, notes);
            }
        } else if (Objects.equals(h, p.previousSha256())) {
            state.pending = null; // the new configuration was never written
            try {
                state.save(dir);
            } catch (IOException e) {
                throw new AgentException(Check.STATE, "cannot update " + dir + ": " + e.getMessage(), e);
            }
            notes.add("an apply of change " + p.change() + " was interrupted before the file was written; it is"
                    + " considered again");
        } else {
            finish(p.change(), false, "the target file changed during an interrupted apply (found "
                    + (h == null ? "no file" : h) + ")", 0, notes);
        }
    }

    private Hook.Result runHook(long change, String sha, boolean restored) {
        Map<String, String> env = new LinkedHashMap<>(config.hookEnv());
        env.put("FOUREYES_COMPONENT", config.component());
        env.put("FOUREYES_CONFIG", config.target().toString());
        env.put("FOUREYES_CHANGE", change < 0 ? "" : Long.toString(change));
        env.put("FOUREYES_CONFIG_SHA256", sha);
        env.put("FOUREYES_RESTORED", restored ? "1" : "0");
        Set<String> remove = config.passphraseEnv() == null ? Set.of() : Set.of(config.passphraseEnv());
        return Hook.run(config.hookCommand(), env, remove, config.hookTimeout(), dir.resolve("hook.log"));
    }

    private void detectDrift(List<String> notes) throws AgentException {
        if (state.applied == null || state.pending != null) {
            return;
        }
        String h = currentHash();
        String observed = h == null ? EMPTY_SHA256 : h;
        if (observed.equals(state.applied.sha256()) || state.driftReported.contains(observed)) {
            return;
        }
        state.driftReported.add(observed);
        String detail = h == null ? config.target() + " is missing"
                : config.target() + " holds " + h + ", not the configuration of change " + state.applied.change();
        state.outbox.add(new AgentState.Outgoing(state.applied.change(), ReportClaims.Status.DRIFT, observed, detail));
        notes.add("drift: " + detail);
        try {
            state.save(dir);
        } catch (IOException e) {
            throw new AgentException(Check.STATE, "cannot update " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Sends queued reports, unless the verified log shows one arrived already. */
    private void deliver(List<String> notes) throws AgentException {
        boolean changed = false;
        for (Iterator<AgentState.Outgoing> it = state.outbox.iterator(); it.hasNext(); ) {
            AgentState.Outgoing o = it.next();
            if (logged(o)) {
                it.remove();
                changed = true;
                continue;
            }
            String compact = signer.sign(origin, new ReportClaims(config.component(), o.change(), o.applied(),
                    o.status(), Optional.ofNullable(o.detail())));
            try {
                host.report(config.component(), compact);
                it.remove();
                changed = true;
                notes.add("reported " + o.status().json() + " for change " + o.change());
            } catch (Host.HostException e) {
                if (e.refused()) {
                    it.remove();
                    changed = true;
                    notes.add("the service refused the " + o.status().json() + " report for change " + o.change()
                            + ": " + e.getMessage());
                } else {
                    notes.add("report for change " + o.change() + " not delivered, retried next round: " + e.getMessage());
                    break;
                }
            } catch (IOException e) {
                notes.add("report for change " + o.change() + " not delivered, retried next round: " + e.getMessage());
                break;
            }
        }
        if (changed) {
            try {
                state.save(dir);
            } catch (IOException e) {
                throw new AgentException(Check.STATE, "cannot update " + dir + ": " + e.getMessage(), e);
            }
        }
    }

    /** Whether the verified log holds a report by this agent with the same change, status and hash. */
    private boolean logged(AgentState.Outgoing o) {
        Optional<ChangeRecord> c = ledger.change(o.change());
        if (c.isEmpty()) {
            return false;
        }
        String me = signer.keyId().substring(0, signer.keyId().indexOf('+'));
        for (ChangeRecord.Event ev : c.get().events()) {
            if (ev.type() != EntryType.CHANGE_REPORTED || ev.statement() == null) {
                continue;
            }
            try {
                String[] parts = ev.statement().split("\\.");
                JsonNode p = STRICT.readTree(Base64.getUrlDecoder().decode(parts[1]));
                if (me.equals(p.path("iss").asText()) && o.status().json().equals(p.path("status").asText())
                        && o.applied().equals(p.path("applied").asText())) {
                    return true;
                }
            } catch (IOException | RuntimeException e) {
                // a verified statement always parses; if not, it is simply not ours
            }
        }
        return false;
    }

    // ================================================================ helpers

    /** The JCS hash of the target file, null if it does not exist; a file that is not JSON hashes as bytes. */
    String currentHash() throws AgentException {
        byte[] b;
        try {
            b = AtomicFiles.readOrNull(config.target());
        } catch (IOException e) {
            throw new AgentException(Check.WRITE, "cannot read " + config.target() + ": " + e.getMessage(), e);
        }
        if (b == null) {
            return null;
        }
        try {
            // I-JSON as the verifier reads configurations: anything else never equals a config hash
            JsonNode n = IJson.parse(b);
            if (n.isObject()) {
                return ConfigHash.sha256Hex(n);
            }
        } catch (IJsonException | IllegalArgumentException e) {
            // not I-JSON (someone edited it by hand): hash the bytes, which never equal a config hash
        }
        return sha256Hex(b);
    }

    private static String detail(String s) {
        String t = s.replaceAll("[\\x00-\\x1f]", " ");
        return t.length() > MAX_DETAIL ? t.substring(0, MAX_DETAIL) + "..." : t;
    }

    static String sha256Hex(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String b64(byte[] h) {
        return Base64.getEncoder().encodeToString(h);
    }

    // ================================================================ for the command line and tests

    /** The size of the kept checkpoint (0 before the first round). */
    public long keptSize() {
        return state == null ? 0 : state.size;
    }

    /** The last change this agent applied, if any. */
    public Optional<Long> appliedChange() {
        return state == null || state.applied == null ? Optional.empty() : Optional.of(state.applied.change());
    }

    /** How many reports wait for delivery. */
    public int undelivered() {
        return state == null ? 0 : state.outbox.size();
    }

    /** The verified ledger (for the benchmark and tests); null before load. */
    Ledger ledger() {
        return ledger;
    }

    static String utf8(byte[] b) {
        return new String(b, StandardCharsets.UTF_8);
    }
}
