// foureyes transparency page: what the log says, folded from its entries (docs/ledger.md).
// Pure: takes the entries verify.js checked (decoded entry, statement payload) and returns
// components, changes, policies and refusals. It re-derives no decision: the states are the
// entries' facts, which the page shows as the server recorded them (foureyes-verify replays them).
// No DOM access.

import { configHash } from './verify.js';

/**
 * @param items [{seq, time, type, facts, payload (statement claims or null), kid, statementHash}]
 *              in seq order, starting at the genesis entry.
 * @returns {origin, logKey, policy, policies, components, changes, refused, problems}
 */
export async function buildHistory(items) {
  const h = {
    origin: null,
    logKey: null,
    policy: null, // {doc, sha256, seq, time, change, version}
    policies: [],
    components: new Map(), // name -> {name, description, config, hash, version, lastChange, appliedAt, lastContact, drift}
    changes: new Map(), // id -> change
    refused: [],
    problems: [], // things the page noticed that do not fit (shown as warnings)
  };
  for (const it of items) {
    try {
      await apply(h, it);
    } catch (e) {
      h.problems.push({ seq: it.seq, message: `cannot follow entry ${it.seq} (${it.type}): ${e.message}` });
    }
  }
  return h;
}

function component(h, name) {
  let c = h.components.get(name);
  if (!c) {
    c = { name, description: '', config: null, hash: null, version: 0, lastChange: null, appliedAt: null,
      lastContact: null, drift: null, inPolicy: false };
    h.components.set(name, c);
  }
  return c;
}

function setPolicy(h, doc, sha256, it, changeId) {
  const version = h.policy ? h.policy.version + 1 : 1;
  h.policy = { doc, sha256, seq: it.seq, time: it.time, change: changeId, version };
  h.policies.push(h.policy);
  for (const c of h.components.values()) c.inPolicy = false;
  for (const [name, def] of Object.entries(doc.components || {})) {
    const c = component(h, name);
    c.inPolicy = true;
    c.description = def && def.description ? String(def.description) : '';
  }
  const p = component(h, 'policy');
  p.inPolicy = true;
  p.description = 'The policy itself: who may do what (changed like any component).';
  p.config = doc;
  p.hash = sha256;
  p.version = version;
  p.lastChange = changeId;
  p.appliedAt = it.time;
}

async function apply(h, it) {
  const f = it.facts;
  const p = it.payload;
  switch (it.type) {
    case 'log.genesis':
      h.origin = f.origin;
      h.logKey = f.log_key;
      setPolicy(h, f.policy, f.policy_sha256, it, null);
      return;
    case 'change.requested': {
      const comp = component(h, p.component);
      const hash = await configHash(p.config);
      const baseMatches = (p.base ?? null) === (comp.hash ?? null);
      const change = {
        id: f.change,
        seq: it.seq,
        component: p.component,
        requester: p.iss,
        kid: it.kid,
        reason: p.reason,
        config: p.config,
        configHash: hash,
        base: p.base ?? null,
        // The configuration the request replaces, as this page derived it (for the diff).
        previous: baseMatches ? comp.config : undefined,
        baseMatches,
        emergency: p.emergency === true,
        iat: p.iat,
        requestedAt: it.time,
        requestHash: it.statementHash,
        policyVersion: h.policy ? h.policy.version : null,
        state: f.state,
        decisions: [],
        reports: [],
        events: [{ seq: it.seq, time: it.time, type: it.type, state: f.state }],
        approvedAt: f.state === 'approved' ? it.time : null,
        appliedAt: null,
        closed: null,
      };
      if (!baseMatches) {
        h.problems.push({ seq: it.seq, message: `change ${f.change}: its base ${p.base} is not the hash of ${p.component}'s configuration as this page derived it (${comp.hash})` });
      }
      h.changes.set(change.id, change);
      return;
    }
    case 'change.decided': {
      const c = known(h, f.change, it);
      c.decisions.push({ seq: it.seq, time: it.time, by: p.iss, kid: it.kid, decision: p.decision,
        comment: p.comment ?? null, iat: p.iat, review: f.review ?? null, requestMatches: p.request === c.requestHash });
      if (p.request !== c.requestHash) {
        h.problems.push({ seq: it.seq, message: `decision on change ${c.id} names request ${p.request}, but the request's hash is ${c.requestHash}` });
      }
      if (f.state === 'approved' && c.state !== 'approved') c.approvedAt = it.time;
      if (f.state !== 'reviewed') c.state = f.state;
      else c.review = f.review;
      c.events.push({ seq: it.seq, time: it.time, type: it.type, state: f.state, by: p.iss, decision: p.decision });
      return;
    }
    case 'change.withdrawn': {
      const c = known(h, f.change, it);
      c.state = f.state;
      c.closed = { seq: it.seq, time: it.time, reason: `withdrawn by ${p.iss}` };
      c.events.push({ seq: it.seq, time: it.time, type: it.type, state: f.state, by: p.iss });
      return;
    }
    case 'change.reported': {
      const c = known(h, f.change, it);
      const comp = component(h, c.component);
      comp.lastContact = it.time;
      c.reports.push({ seq: it.seq, time: it.time, by: p.iss, status: p.status, applied: p.applied,
        detail: p.detail ?? null, drift: f.drift === true });
      if (f.drift === true) comp.drift = { seq: it.seq, time: it.time, change: c.id, applied: p.applied };
      if (f.state === 'applied' && c.state !== 'applied') {
        comp.config = c.config;
        comp.hash = c.configHash;
        comp.version += 1;
        comp.lastChange = c.id;
        comp.appliedAt = it.time;
        c.appliedAt = it.time;
        c.version = comp.version;
      }
      c.state = f.state;
      c.events.push({ seq: it.seq, time: it.time, type: it.type, state: f.state, by: p.iss, status: p.status });
      return;
    }
    case 'change.expired':
    case 'change.superseded': {
      const c = known(h, f.change, it);
      c.state = f.state;
      c.closed = { seq: it.seq, time: it.time, reason: f.reason };
      c.events.push({ seq: it.seq, time: it.time, type: it.type, state: f.state, reason: f.reason });
      return;
    }
    case 'policy.activated': {
      const c = known(h, f.change, it);
      setPolicy(h, f.policy, f.policy_sha256, it, c.id);
      c.state = 'applied';
      c.appliedAt = it.time;
      c.version = h.policy.version;
      c.events.push({ seq: it.seq, time: it.time, type: it.type, state: 'applied' });
      return;
    }
    case 'statement.refused': {
      const r = { seq: it.seq, time: it.time, by: p ? p.iss : null, typ: p ? p.typ : null,
        reason: f.reason, problem: f.problem, expected: f.expected };
      h.refused.push(r);
      // A refused decision, withdrawal or report about a change is shown with that change too.
      const c = p && Number.isSafeInteger(p.change) ? h.changes.get(p.change) : null;
      if (c) (c.refused = c.refused || []).push(r);
      return;
    }
    default:
      throw new Error(`unknown entry type ${it.type}`);
  }
}

function known(h, id, it) {
  const c = h.changes.get(id);
  if (!c) throw new Error(`it names change ${id}, which is not in the log before it`);
  return c;
}

// ---------------------------------------------------------------------------------------------
// What a pending change still needs (design: "a pending change lists what is still missing")

const OPEN = new Set(['requested', 'approved']);

export function isOpen(change) {
  return OPEN.has(change.state) && !(change.state === 'approved' && change.appliedAt);
}

/** The rule that applies to a change under `policy` (its emergency rule for an emergency). */
export function ruleFor(policy, change) {
  const def = policy.components && policy.components[change.component];
  if (change.emergency && def && def.emergency) return def.emergency.approvals || { factors: [] };
  const approvals = policy.approvals || {};
  return approvals[change.component] || approvals.default || { factors: [] };
}

function rolesOf(policy, principal) {
  const p = policy.principals && policy.principals[principal];
  return p && Array.isArray(p.roles) ? p.roles : [];
}

function mayApprove(policy, principal, componentName) {
  return rolesOf(policy, principal).some((r) => {
    const role = policy.roles && policy.roles[r];
    return role && Array.isArray(role.approve) && role.approve.includes(componentName);
  });
}

/**
 * For a requested change: the approvals it has that count under `policy` and what is missing,
 * by the policy's rule as a bipartite matching of approvers to factor slots (each approver fills
 * at most one slot; the requester never counts). Returns {approvers, missing: [{count, roles}], text}.
 */
export function missingApprovals(policy, change) {
  const rule = ruleFor(policy, change);
  const factors = Array.isArray(rule.factors) ? rule.factors : [];
  const approvers = [...new Set(change.decisions.filter((d) => d.decision === 'approve').map((d) => d.by))]
    .filter((who) => who !== change.requester && mayApprove(policy, who, change.component));
  const slots = [];
  factors.forEach((f, fi) => {
    for (let i = 0; i < (f.count || 0); i++) slots.push(fi);
  });
  const slotOwner = new Array(slots.length).fill(-1);
  const canFill = (a, s) => rolesOf(policy, approvers[a]).some((r) => (factors[slots[s]].roles || []).includes(r));
  const tryAssign = (a, seen) => {
    for (let s = 0; s < slots.length; s++) {
      if (seen[s] || !canFill(a, s)) continue;
      seen[s] = true;
      if (slotOwner[s] < 0 || tryAssign(slotOwner[s], seen)) {
        slotOwner[s] = a;
        return true;
      }
    }
    return false;
  };
  for (let a = 0; a < approvers.length; a++) tryAssign(a, new Array(slots.length).fill(false));
  const missing = factors.map((f, fi) => ({
    count: slots.filter((s, i) => s === fi && slotOwner[i] < 0).length,
    roles: f.roles || [],
  })).filter((m) => m.count > 0);
  // Who could still give a missing approval: holds approve on the component and a missing
  // factor's role, is not the requester and has not decided yet.
  const decided = new Set(change.decisions.map((d) => d.by));
  const canStill = Object.keys(policy.principals || {}).filter((who) => who !== change.requester && !decided.has(who)
    && mayApprove(policy, who, change.component)
    && missing.some((m) => rolesOf(policy, who).some((r) => m.roles.includes(r))));
  // Worded as the server's DecisionEngine words it (Evaluation.Missing).
  const text = missing.length === 0 ? 'no approval missing'
    : 'needs ' + andList(missing.map((m) => `${m.count} more approval${m.count === 1 ? '' : 's'} from ${orList(m.roles)}`));
  return { approvers, missing, canStill, text };
}

function orList(items, word = 'or') {
  if (items.length <= 1) return items.join('');
  return items.slice(0, -1).join(', ') + ` ${word} ` + items[items.length - 1];
}

function andList(items) {
  return orList(items, 'and');
}

/** ISO-8601 duration (PnDTnHnMnS, as java.time.Duration writes and reads them) in milliseconds, or null. */
export function durationMs(text) {
  const m = /^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(String(text));
  if (!m) return null;
  const [, d, hh, mm, ss] = m;
  return ((+d || 0) * 86400 + (+hh || 0) * 3600 + (+mm || 0) * 60 + (+ss || 0)) * 1000;
}

/**
 * The rights table of a policy, derived in the browser: per principal, roles and the actions
 * they hold per component (request, approve, report), and read. Same shape as the server's
 * PolicyAnalysis.toJson "rights".
 */
export function rightsTable(policy) {
  const components = [...Object.keys(policy.components || {}), 'policy'];
  const rows = [];
  for (const [name, p] of Object.entries(policy.principals || {})) {
    const rights = {};
    let read = false;
    for (const r of p.roles || []) {
      const role = (policy.roles || {})[r] || {};
      if (role.read === true) read = true;
      for (const action of ['request', 'approve', 'report']) {
        for (const c of role[action] || []) {
          (rights[c] = rights[c] || new Set()).add(action);
        }
      }
    }
    const out = {};
    for (const c of components) if (rights[c]) out[c] = [...rights[c]];
    rows.push({ principal: name, roles: p.roles || [], read, rights: out });
  }
  return { components, rows };
}
