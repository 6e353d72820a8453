// foureyes transparency page: fetches the log, has verify.js check it, and shows what it checked.
// Everything from the log is inserted as text (never as HTML): reasons, comments and
// configurations are written by people and must not run in your browser.

import * as v from './verify.js';
import { buildHistory, isOpen, missingApprovals, rightsTable, durationMs } from './history.js';
import { jsonDiff } from './diff.js';
import { policyChangeView } from './policydiff.js';

const PIN_KEY = 'foureyes.pinnedLogKey';
const WITNESS_KEY = 'foureyes.witnessKeys';
const SEEN_KEY = 'foureyes.seenCheckpoint';
const PAGE = 1000; // entries per request (the server's maximum)
const params = new URLSearchParams(location.search);
const MAX_ENTRIES = Math.max(1, Number(params.get('max')) || 20000);

// ---------------------------------------------------------------------------------------------
// DOM helpers

function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [k, val] of Object.entries(attrs || {})) {
    if (val === null || val === undefined || val === false) continue;
    if (k === 'class') el.className = val;
    else if (k.startsWith('data-')) el.setAttribute(k, val);
    else if (k === 'open') el.open = Boolean(val);
    else el.setAttribute(k, val);
  }
  for (const c of children.flat(Infinity)) {
    if (c === null || c === undefined || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
  return el;
}

function section(id, title, ...content) {
  const el = document.getElementById(id);
  el.replaceChildren(h('h2', null, title), ...content.flat(Infinity).filter(Boolean));
  return el;
}

const short = (s, n = 16) => (s && s.length > n ? s.slice(0, n) + '…' : s ?? '');
const when = (iso) => (iso ? iso.replace('T', ' ').replace(/\.\d{3}Z$/, ' UTC').replace(/Z$/, ' UTC') : '–');
const fromEpoch = (secs) => (secs === null || secs === undefined ? '–' : when(new Date(Number(secs) * 1000).toISOString()));
const mark = (ok, title) => h('span', { class: ok === 'ok' ? 'mark ok' : ok ? 'mark bad' : 'mark none', title: title || '' },
  ok === 'ok' ? '✓' : ok ? '✗' : '–');
const stateBadge = (state) => h('span', { class: `badge state-${state}` }, state);
const json = (value) => h('pre', { class: 'json' }, JSON.stringify(value, null, 2));

// ---------------------------------------------------------------------------------------------
// Fetching

const TOKEN_KEY = 'foureyes.accessToken';

class NotPublic extends Error {}

/** Request headers: the visitor's access token (session only) when the log is not public. */
function headers(extra = {}) {
  let token = null;
  try {
    token = window.sessionStorage.getItem(TOKEN_KEY);
  } catch (e) {
    token = null;
  }
  return token ? { ...extra, Authorization: `Bearer ${token}` } : extra;
}

async function request(path, accept) {
  const r = await fetch(path, { cache: 'no-store', headers: headers(accept ? { Accept: accept } : {}) });
  if (r.status === 401 || r.status === 403) {
    let detail = '';
    try {
      detail = (await r.json()).detail || '';
    } catch (e) {
      detail = '';
    }
    throw new NotPublic(`${path}: HTTP ${r.status}${detail ? `: ${detail}` : ''}`);
  }
  if (!r.ok) throw new Error(`${path}: HTTP ${r.status}`);
  return r;
}

async function getText(path) {
  return (await request(path)).text();
}

async function getJson(path) {
  return (await request(path, 'application/json')).json();
}

/** A JSON endpoint that this server may not have (404) or not show this visitor: null then. */
async function optionalJson(path) {
  try {
    const r = await fetch(path, { cache: 'no-store', headers: headers({ Accept: 'application/json' }) });
    if (!r.ok) return null;
    return await r.json();
  } catch (e) {
    return null;
  }
}

/** Entries [0, end) as exact bytes, split at the newline bytes of the NDJSON answer. */
async function fetchEntries(end, onProgress) {
  const lines = [];
  while (lines.length < end) {
    const start = lines.length;
    const r = await request(`/v1/log/entries?start=${start}&end=${Math.min(end, start + PAGE)}`);
    const buf = new Uint8Array(await r.arrayBuffer());
    let from = 0;
    for (let i = 0; i < buf.length; i++) {
      if (buf[i] === 0x0a) {
        lines.push(buf.slice(from, i));
        from = i + 1;
      }
    }
    if (from !== buf.length) throw new Error('/v1/log/entries: the answer does not end with a newline');
    if (lines.length === start) break; // the server has no more
    onProgress(lines.length);
  }
  return lines;
}

// ---------------------------------------------------------------------------------------------
// Status banner

function status(kind, title, detail, failures = []) {
  const el = document.getElementById('status');
  el.className = `status ${kind}`;
  document.getElementById('status-title').textContent = title;
  document.getElementById('status-detail').textContent = detail;
  const list = document.getElementById('status-failures');
  list.replaceChildren(...failures.slice(0, 20).map((f) => h('li', null, f.message)));
  if (failures.length > 20) list.append(h('li', null, `… and ${failures.length - 20} more (marked in the entries below)`));
  document.body.dataset.verification = kind;
}

/** A failure without its hashes, for the banner's title (the list below has the whole message). */
function headline(message) {
  return message.replace(/: (expected|prev|leaf hash) [A-Za-z0-9+/=]{20,}.*$/, '');
}

// ---------------------------------------------------------------------------------------------
// Keys and pins

function storage() {
  try {
    return window.localStorage;
  } catch (e) {
    return null;
  }
}

function readPin() {
  return storage()?.getItem(PIN_KEY) || null;
}

async function witnessKeys() {
  const text = storage()?.getItem(WITNESS_KEY) || '';
  const keys = [];
  for (const line of text.split('\n').map((l) => l.trim()).filter(Boolean)) {
    try {
      keys.push(await v.parseVerifierKey(line, v.KEY_TYPE_COSIGNATURE));
    } catch (e) {
      // shown in the witness box
    }
  }
  return keys;
}

function setupForms(serverKeyText) {
  const input = document.getElementById('pin-input');
  input.value = readPin() || '';
  document.getElementById('pin-form').onsubmit = async (ev) => {
    ev.preventDefault();
    try {
      const k = await v.parseVerifierKey(input.value);
      storage()?.setItem(PIN_KEY, k.text);
      location.reload();
    } catch (e) {
      alert(`Not pinned: ${e.message}`);
    }
  };
  document.getElementById('pin-shown').onclick = () => {
    if (serverKeyText) {
      storage()?.setItem(PIN_KEY, serverKeyText);
      location.reload();
    }
  };
  document.getElementById('pin-forget').onclick = () => {
    storage()?.removeItem(PIN_KEY);
    storage()?.removeItem(SEEN_KEY);
    location.reload();
  };
  document.getElementById('token-form').onsubmit = (ev) => {
    ev.preventDefault();
    const t = document.getElementById('token-input').value.trim();
    try {
      if (t) window.sessionStorage.setItem(TOKEN_KEY, t);
      else window.sessionStorage.removeItem(TOKEN_KEY);
    } catch (e) {
      // no session storage: nothing to keep
    }
    location.reload();
  };
  const w = document.getElementById('witness-input');
  w.value = storage()?.getItem(WITNESS_KEY) || '';
  document.getElementById('witness-form').onsubmit = (ev) => {
    ev.preventDefault();
    storage()?.setItem(WITNESS_KEY, w.value.trim());
    location.reload();
  };
}

function showKey(key, pinned, serverKeyText) {
  const el = document.getElementById('key-info');
  const parts = [
    h('p', null, 'Checked against the log key ', h('code', { id: 'key-id' }, `${key.name}+${key.keyIdHex}`), ' ',
      pinned ? h('span', { class: 'badge good', id: 'key-source' }, 'pinned by you')
        : h('span', { class: 'badge warn', id: 'key-source' }, 'not pinned, fetched from the server')),
    h('p', { class: 'keytext' }, h('code', null, key.text)),
  ];
  if (!pinned) {
    parts.push(h('p', { class: 'warn-text' }, 'Trust on first use is weaker: this key came from the same server whose log ' +
      'it checks, so a server that lies could send a key of its own. Compare the key with one published elsewhere ' +
      '(for example by the operators), then pin it: this browser will then check every later visit against it.'));
  } else if (serverKeyText && serverKeyText !== key.text) {
    parts.push(h('p', { class: 'bad-text' }, `The server now offers a different key (${serverKeyText}). ` +
      'The log key never changes within a log: either the log was replaced, or something is wrong.'));
  }
  el.replaceChildren(...parts);
}

// ---------------------------------------------------------------------------------------------
// Main

async function main() {
  let serverKeyText = null;
  try {
    serverKeyText = (await getText('/v1/log/key')).trim();
  } catch (e) {
    // shown below when nothing is pinned either
  }
  setupForms(serverKeyText);

  if (!(await v.ed25519Supported())) {
    status('unsupported', 'NOT VERIFIED: this browser cannot check Ed25519 signatures',
      'Its WebCrypto has no Ed25519, so this page cannot check the checkpoint or any statement. ' +
      'Use a current Chromium, Firefox (129 or later) or Safari (17 or later), or foureyes-verify.');
    return;
  }

  const pinText = readPin();
  let key;
  try {
    key = await v.parseVerifierKey(pinText || serverKeyText || '');
  } catch (e) {
    status('failed', 'VERIFICATION FAILED: no usable log key', `${pinText ? 'The pinned key' : 'The server\'s key'} cannot be used: ${e.message}`);
    return;
  }
  showKey(key, Boolean(pinText), serverKeyText);

  let checkpoint;
  let note;
  try {
    note = await getText('/v1/log/checkpoint');
    checkpoint = await v.openCheckpoint(note, key);
  } catch (e) {
    if (e instanceof NotPublic) {
      status('unsupported', 'NOT VERIFIED: this log is not public',
        `Reading it needs an access token of a principal with the read right (${e.message}). ` +
        'Paste one under "Access token" above; it is kept for this browser session only.');
      document.getElementById('token-box').open = true;
      return;
    }
    status('failed', 'VERIFICATION FAILED: the checkpoint', e.message);
    section('checkpoint', 'Latest checkpoint', h('pre', { class: 'note' }, note || ''), h('p', { class: 'bad-text' }, e.message));
    return;
  }
  document.getElementById('origin').textContent = `Log ${checkpoint.origin}`;

  const failures = [];
  // Cosignatures and the checkpoint this browser saw before.
  let cosigs = [];
  try {
    cosigs = await v.verifyCosignatures(checkpoint, await witnessKeys());
  } catch (e) {
    failures.push({ seq: null, message: `checkpoint: ${e.message}` });
  }
  const consistency = await checkSeen(checkpoint, key);
  if (consistency.failure) failures.push({ seq: null, message: consistency.failure });
  renderCheckpoint(checkpoint, note, cosigs, consistency);

  status('pending', 'Verifying…', `Checkpoint signed by ${key.keyIdHex}; loading ${Math.min(checkpoint.size, MAX_ENTRIES)} entries.`);
  let lines;
  try {
    lines = await fetchEntries(Math.min(checkpoint.size, MAX_ENTRIES),
      (n) => status('pending', 'Verifying…', `Loaded ${n} of ${Math.min(checkpoint.size, MAX_ENTRIES)} entries.`));
  } catch (e) {
    status('failed', 'VERIFICATION FAILED: cannot load the entries', e.message);
    return;
  }
  const result = await v.verifyLog({
    checkpoint,
    logKeyText: key.text,
    lines,
    getProof: async (index, size) => (await getJson(`/v1/log/proof/inclusion?index=${index}&size=${size}`)).proof,
    onProgress: (done, total) => {
      if (done % 50 === 0) status('pending', 'Verifying…', `Checked ${done} of ${total} inclusion proofs.`);
    },
  });
  failures.push(...result.failures);
  if (lines.length < checkpoint.size && lines.length < MAX_ENTRIES) {
    failures.push({ seq: null, message: `the server sent ${lines.length} entries, the checkpoint has ${checkpoint.size}` });
  }
  if (failures.length === 0 && consistency.remember) storage()?.setItem(SEEN_KEY, consistency.remember);

  const usable = result.items.filter((it) => it.entry).map((it) => ({
    seq: it.seq, time: it.entry.time, type: it.entry.type, facts: it.entry.facts, payload: it.payload,
    kid: it.kid, statementHash: it.statementHash, ok: it.errors.length === 0,
  }));
  const history = await buildHistory(usable);
  const [serverPolicy, serverChanges] = await Promise.all([optionalJson('/v1/policy'), optionalJson('/v1/changes')]);

  if (failures.length > 0) {
    status('failed', `VERIFICATION FAILED: ${headline(failures[0].message)}`,
      `Checked against the log key ${key.keyIdHex}. ${failures.length} problem${failures.length === 1 ? '' : 's'} found; ` +
      'what is shown below may not be what the log key signed. Entries that failed are marked ✗.', failures);
  } else {
    const partial = lines.length < checkpoint.size
      ? ` This page loaded the first ${lines.length} of ${checkpoint.size} entries (limit ${MAX_ENTRIES}); the rest is not shown.` : '';
    status('ok', `Verified: checkpoint signed by ${key.keyIdHex}, ${lines.length} entries included`,
      `Each entry's inclusion proof leads to the root of checkpoint ${checkpoint.size}` +
      (result.rootRecomputed ? ' (and the tree over all entries has that root)' : '') +
      ', the hash chain is unbroken, and every statement is signed by a key of the policy in force.' +
      (cosigs.some((c) => c.status === 'verified') ? ` Cosigned by ${cosigs.filter((c) => c.status === 'verified').map((c) => c.name).join(', ')}.` : '') +
      partial);
  }

  const byId = new Map(result.items.map((it) => [it.seq, it]));
  renderComponents(history);
  renderPending(history, byId, serverChanges);
  renderHistory(history, byId);
  renderPolicy(history, serverPolicy, byId);
  renderRefused(history, byId);
  renderEntries(result.items);
  for (const p of history.problems) console.warn(p.message);
}

/** Consistency with the largest checkpoint this browser verified before for this log key. */
async function checkSeen(checkpoint, key) {
  const remember = JSON.stringify({ key: key.text, size: checkpoint.size, root: checkpoint.rootB64, seen: new Date().toISOString() });
  let seen = null;
  try {
    seen = JSON.parse(storage()?.getItem(SEEN_KEY) || 'null');
  } catch (e) {
    seen = null;
  }
  if (!seen || seen.key !== key.text) return { remember, text: 'No earlier checkpoint of this log in this browser.' };
  if (seen.size > checkpoint.size) {
    return { failure: `the log shrank: this browser verified a checkpoint of size ${seen.size} on ${when(seen.seen)}, the server now serves size ${checkpoint.size}` };
  }
  try {
    const proof = (await getJson(`/v1/log/proof/consistency?from=${seen.size}&to=${checkpoint.size}`)).proof;
    await v.verifyConsistency(seen.size, checkpoint.size, v.b64decode(seen.root), checkpoint.root, proof);
    return { remember, text: `Consistent with the checkpoint of size ${seen.size} this browser verified on ${when(seen.seen)}: the log only grew.` };
  } catch (e) {
    return { failure: `the log is not an extension of the checkpoint of size ${seen.size} this browser verified on ${when(seen.seen)}: ${e.message}` };
  }
}

// ---------------------------------------------------------------------------------------------
// Sections

function renderCheckpoint(cp, note, cosigs, consistency) {
  const rows = [
    ['Origin', cp.origin],
    ['Size', `${cp.size} entries`],
    ['Root hash', h('code', { class: 'hash' }, cp.rootB64)],
    ['Signed by', h('span', null, h('code', null, `${cp.origin}+${cp.keyIdHex}`), ' ', mark('ok', 'signature verified'), ' verified')],
  ];
  const cos = cosigs.length === 0 ? h('p', { class: 'muted' }, 'No cosignatures from witnesses on this checkpoint.')
    : h('ul', { class: 'plain' }, cosigs.map((c) => h('li', null, h('code', null, `${c.name}+${c.keyIdHex}`),
      c.time !== null ? ` at ${fromEpoch(c.time)} ` : ' ',
      c.status === 'verified' ? h('span', { class: 'badge good' }, 'cosignature verified')
        : h('span', { class: 'badge warn' }, 'not checked: no witness key pinned for it'))));
  section('checkpoint', 'Latest checkpoint',
    dl(rows),
    h('h3', null, 'Cosignatures'), cos,
    h('p', { class: consistency.failure ? 'bad-text' : 'muted' }, consistency.failure || consistency.text),
    h('details', null, h('summary', null, 'The signed note as served'), h('pre', { class: 'note' }, note)));
}

function dl(rows) {
  return h('dl', { class: 'facts' }, rows.map(([k, val]) => [h('dt', null, k), h('dd', null, val)]));
}

function entryMarks(seqs, byId) {
  return h('span', { class: 'entry-marks' }, seqs.map((s) => {
    const it = byId.get(s);
    const ok = it && it.errors.length === 0 ? 'ok' : 'bad';
    return h('a', { href: `#entry-${s}`, class: `entry-ref ${ok}`, title: it ? (it.errors.join('; ') || 'verified') : 'not loaded' },
      `#${s} `, mark(ok));
  }));
}

function renderComponents(hist) {
  const cards = [...hist.components.values()].filter((c) => c.inPolicy).map((c) => h('article', { class: 'component', id: `component-${c.name}` },
    h('h3', null, c.name, ' ', h('span', { class: 'badge' }, `version ${c.version}`)),
    c.description ? h('p', { class: 'muted' }, c.description) : null,
    dl([
      ['Hash', c.hash ? h('code', { class: 'hash' }, c.hash) : h('span', { class: 'muted' }, 'no configuration yet')],
      ['Since', c.appliedAt ? `${when(c.appliedAt)}${c.lastChange !== null ? ` (change ${c.lastChange})` : ' (genesis)'}` : '–'],
      ...(c.name !== 'policy' ? [['Agent last seen', when(c.lastContact)]] : []),
      ...(c.drift ? [['Drift', h('span', { class: 'bad-text' }, `reported ${when(c.drift.time)} (entry ${c.drift.seq})`)]] : []),
    ]),
    c.config !== null ? h('details', null, h('summary', null, 'Current configuration'), json(c.config)) : null));
  section('components', 'Components',
    h('p', { class: 'muted' }, 'Each component\'s configuration is the last one its agent reported applied (for the policy: the last activated). The hash is computed in your browser (SHA-256 of the RFC 8785 form).'),
    h('div', { class: 'grid' }, cards));
}

function diffView(change) {
  if (change.previous === undefined) {
    return h('p', { class: 'warn-text' }, `No diff: the request's base ${short(change.base)} is not a configuration this page knows.`);
  }
  const d = jsonDiff(change.previous, change.config);
  if (d.length === 0) return h('p', { class: 'muted' }, 'No difference from the configuration it replaces.');
  return h('div', { class: 'diff' },
    change.component === 'policy' && change.previous ? policyView(change.previous, change.config) : null,
    h('p', { class: 'muted' }, change.previous === null ? 'First configuration of the component (diff against nothing):'
      : 'Diff against the configuration it replaces, computed in your browser:'),
    h('ul', { class: 'diff-list' }, d.map((x) => h('li', { class: `diff-${x.kind}` },
      h('code', { class: 'path' }, x.path), ' ',
      x.kind === 'added' ? ['added ', h('code', null, JSON.stringify(x.after))]
        : x.kind === 'removed' ? ['removed ', h('code', null, JSON.stringify(x.before))]
          : [h('code', { class: 'old' }, JSON.stringify(x.before)), ' → ', h('code', { class: 'new' }, JSON.stringify(x.after))]))));
}

/**
 * A policy change: every guard, schema, emergency and timing change by name, what widens first. The
 * member-by-member diff below it would show a removed guard as a renamed one.
 */
function policyView(previous, proposed) {
  const v = policyChangeView(previous, proposed);
  return h('div', { class: 'policy-content' },
    v.widens.length === 0
      ? h('p', { class: 'muted' }, 'Guards, schemas, emergency rules and timing: nothing widens (computed in your browser).')
      : [h('p', { class: 'bad-text' }, h('strong', null, 'WIDENS'), `: the new policy accepts configurations the old one refused (${v.widens.length}, computed in your browser):`),
        h('ul', { class: 'diff-list', 'data-widens': String(v.widens.length) }, v.widens.map((x) => h('li', { class: 'diff-removed' }, x)))],
    v.other.length === 0 ? null : [h('p', { class: 'muted' }, 'Narrowing or neutral:'),
      h('ul', { class: 'diff-list' }, v.other.map((x) => h('li', null, x)))]);
}

function changeCard(change, hist, byId, extra) {
  const seqs = change.events.map((e) => e.seq);
  const decisions = change.decisions.length === 0 ? h('span', { class: 'muted' }, 'none yet')
    : h('ul', { class: 'plain' }, change.decisions.map((d) => h('li', null,
      h('strong', null, d.by), ` ${d.decision === 'approve' ? 'approved' : 'rejected'} at ${when(d.time)}`,
      d.review ? ` (emergency review: ${d.review})` : '', d.comment ? [': ', h('q', null, d.comment)] : '')));
  const reports = change.reports.length === 0 ? null
    : h('ul', { class: 'plain' }, change.reports.map((r) => h('li', null,
      h('strong', null, r.by), ` reported ${r.status}${r.drift ? ' (drift)' : ''} at ${when(r.time)}`, r.detail ? [': ', h('q', null, r.detail)] : '')));
  return h('article', { class: 'change', id: `change-${change.id}`, 'data-change': String(change.id) },
    h('h3', null, `Change ${change.id} to ${change.component} `, stateBadge(change.state),
      change.emergency ? h('span', { class: 'badge bad' }, 'emergency') : null),
    dl([
      ['Requested by', [h('strong', null, change.requester), ` at ${when(change.requestedAt)}`]],
      ['Reason', h('q', null, change.reason)],
      ['Decisions', decisions],
      ...(reports ? [['Agent', reports]] : []),
      ...(change.appliedAt ? [['Took effect', `${when(change.appliedAt)}${change.version ? ` (version ${change.version})` : ''}`]] : []),
      ...(change.closed ? [['Closed', `${when(change.closed.time)}: ${change.closed.reason}`]] : []),
      ...(change.refused && change.refused.length ? [['Refused', h('ul', { class: 'plain' }, change.refused.map((r) => h('li', null,
        `${when(r.time)} `, h('strong', null, r.by || '?'), `: ${r.reason} `, entryMarks([r.seq], byId))))]] : []),
      ...(extra || []),
      ['New configuration hash', h('code', { class: 'hash' }, change.configHash)],
      ['Log entries', entryMarks(seqs, byId)],
    ]),
    diffView(change),
    h('details', null, h('summary', null, 'Requested configuration'), json(change.config)));
}

function renderPending(hist, byId, serverChanges) {
  const policy = hist.policy ? hist.policy.doc : {};
  const open = [...hist.changes.values()].filter(isOpen).sort((a, b) => b.id - a.id);
  const pendingTtl = durationMs(policy.timing && policy.timing.pending_ttl);
  const applyTtl = durationMs(policy.timing && policy.timing.apply_ttl);
  const serverById = new Map();
  const list = serverChanges && (Array.isArray(serverChanges) ? serverChanges : serverChanges.changes);
  if (Array.isArray(list)) for (const c of list) if (c && c.id !== undefined) serverById.set(Number(c.id), c);
  const cards = open.map((c) => {
    const extra = [];
    if (c.state === 'requested') {
      const m = missingApprovals(policy, c);
      extra.push(['Still missing', h('strong', { class: 'missing' }, m.text)]);
      if (m.canStill.length) extra.push(['Who can approve', m.canStill.join(', ')]);
      if (pendingTtl !== null) extra.push(['Expires', `${fromEpoch(c.iat + pendingTtl / 1000)} if not approved by then (pending_ttl ${policy.timing.pending_ttl})`]);
    } else if (c.state === 'approved') {
      extra.push(['Still missing', h('strong', { class: 'missing' }, `the agent of ${c.component} has not reported it applied yet`)]);
      if (applyTtl !== null && c.approvedAt) extra.push(['Expires', `${when(new Date(Date.parse(c.approvedAt) + applyTtl).toISOString())} at the latest (apply_ttl ${policy.timing.apply_ttl}, from the approving decision)`]);
    }
    const s = serverById.get(c.id);
    if (s && (s.explanation || s.missing)) {
      const said = s.explanation || (Array.isArray(s.missing) ? s.missing.join('; ') : String(s.missing));
      extra.push(['The server says', h('span', { class: 'muted server-says' }, said)]);
    }
    return changeCard(c, hist, byId, extra);
  });
  section('pending', 'Pending changes',
    h('p', { class: 'muted' }, 'Requested or approved, not yet in effect. What is missing is worked out in your browser from the policy in force and the decisions in the log.'),
    cards.length ? cards : h('p', { class: 'muted', id: 'no-pending' }, 'No pending changes.'));
}

function renderHistory(hist, byId) {
  const closed = [...hist.changes.values()].filter((c) => !isOpen(c)).sort((a, b) => b.id - a.id);
  section('history', 'History of changes',
    h('p', { class: 'muted' }, 'Every change the log records, newest first, with who asked, who decided, and the diff against the configuration it replaced.'),
    closed.length ? closed.map((c) => changeCard(c, hist, byId)) : h('p', { class: 'muted' }, 'No changes yet.'));
}

function renderPolicy(hist, serverPolicy, byId) {
  if (!hist.policy) {
    section('policy', 'Policy in force', h('p', { class: 'bad-text' }, 'The log has no genesis entry this page could read.'));
    return;
  }
  const p = hist.policy;
  const doc = p.doc || {};
  const table = rightsTable(doc);
  const rightsEl = h('div', { class: 'table-wrap' }, h('table', { class: 'rights' },
    h('thead', null, h('tr', null, h('th', null, 'Principal'), h('th', null, 'Roles'),
      table.components.map((c) => h('th', null, c)), h('th', null, 'read'))),
    h('tbody', null, table.rows.map((r) => h('tr', null,
      h('th', { scope: 'row' }, r.principal), h('td', null, r.roles.join(', ')),
      table.components.map((c) => h('td', { 'data-label': c }, (r.rights[c] || []).join(', ') || '·')),
      h('td', { 'data-label': 'read' }, r.read ? 'yes' : '·'))))));
  const sep = Array.isArray(doc.separation) ? doc.separation : [];
  const analysis = serverPolicy && (serverPolicy.analysis || serverPolicy);
  const serverHash = serverPolicy && (serverPolicy.sha256 || serverPolicy.policy_sha256 || serverPolicy.hash);
  let coalitions;
  if (analysis && Array.isArray(analysis.protected)) {
    coalitions = h('div', null,
      h('p', { class: 'muted' }, 'Smallest coalitions, as computed by the server (/v1/policy)' +
        (serverHash && serverHash !== p.sha256 ? ` — for a policy with hash ${short(serverHash)}, NOT the one this page verified` : ', for the policy this page verified') + ':'),
      h('ul', { class: 'plain', id: 'coalitions' }, analysis.protected.map((c) => h('li', null,
        h('strong', null, c.name), ` (${(c.components || []).join(', ')}): `,
        c.size === null || c.size === undefined ? 'no coalition can change them' : `${c.size} people (${(c.members || []).join(', ')}) via ${c.via}`,
        `; the policy requires at least ${c.min_coalition} `,
        c.ok ? h('span', { class: 'badge good' }, 'ok') : h('span', { class: 'badge bad' }, 'violated')))));
  } else {
    coalitions = h('p', { class: 'muted', id: 'coalitions' }, 'Coalition sizes are computed by the server\'s policy analysis (/v1/policy), which this server does not offer yet. ' +
      'The protected sets and their required minimum are listed above, from the policy itself; foureyes policy check computes the sizes offline.');
  }
  const policyEntries = hist.policies.map((x) => x.seq);
  section('policy', 'Policy in force',
    dl([
      ['Name', doc.policy || '–'],
      ['Version', String(p.version)],
      ['Hash', h('code', { class: 'hash' }, p.sha256)],
      ['In force since', `${when(p.time)} (${p.change === null ? 'genesis' : `change ${p.change}`})`],
      ['Approvals', h('ul', { class: 'plain' }, Object.entries(doc.approvals || {}).map(([k, rule]) => h('li', null,
        h('strong', null, k), ': ', (rule.factors || []).map((f) => `${f.count} from ${(f.roles || []).join(' / ')}`).join(' and ') || 'none')))],
      ['Log entries', entryMarks(policyEntries, byId)],
    ]),
    h('h3', null, 'Who may do what'), rightsEl,
    h('h3', null, 'Separation of duties'),
    h('ul', { class: 'plain' }, sep.map((s) => h('li', null, h('strong', null, s.name), ': ',
      s.components ? `changing ${s.components.join(', ')} must take at least ${s.min_coalition} people`
        : `no one may hold more than ${s.at_most} of ${(s.rights || []).join(', ')}`))),
    coalitions,
    analysis && Array.isArray(analysis.violations) && analysis.violations.length
      ? h('ul', { class: 'bad-text' }, analysis.violations.map((x) => h('li', null, x))) : null,
    hist.policies.length > 1 ? [h('h3', null, 'Policy history'), h('ul', { class: 'plain' }, hist.policies.map((x) => h('li', null,
      `version ${x.version}: ${when(x.time)}, ${x.change === null ? 'genesis' : `change ${x.change}`}, hash `, h('code', null, short(x.sha256)))))] : null,
    h('details', null, h('summary', null, 'The policy document (from the log)'), json(doc)));
}

function renderRefused(hist, byId) {
  section('refused', 'Refused statements',
    h('p', { class: 'muted' }, 'Statements that were correctly signed by a principal but refused by the policy. They change nothing; they are logged so that attempts are visible.'),
    hist.refused.length === 0 ? h('p', { class: 'muted' }, 'None.')
      : h('ul', { class: 'plain' }, hist.refused.slice().reverse().map((r) => h('li', null,
        `${when(r.time)} `, h('strong', null, r.by || '?'), ` (${r.problem}): ${r.reason} `, entryMarks([r.seq], byId)))));
}

function renderEntries(items) {
  const bad = items.filter((it) => it.errors.length > 0);
  const rows = items.slice().reverse().map((it) => [h('tr', { id: `entry-${it.seq}`, class: it.errors.length ? 'bad-row' : null, 'data-seq': String(it.seq) },
    h('td', { 'data-label': 'seq' }, String(it.seq)),
    h('td', { 'data-label': 'time' }, it.entry ? when(it.entry.time) : '?'),
    h('td', { 'data-label': 'type' }, it.entry ? it.entry.type : '?',
      it.payload && it.payload.iss ? h('span', { class: 'muted' }, ` by ${it.payload.iss}`) : null),
    h('td', { 'data-label': 'leaf hash' }, h('code', { class: 'hash', title: v.b64encode(it.leafHash) }, short(v.b64encode(it.leafHash), 12))),
    h('td', { 'data-label': 'included' }, mark(it.checks.inclusion, it.checks.inclusion === 'ok' ? `inclusion proof (${it.proofLength} hashes) leads to the checkpoint root` : it.checks.inclusion)),
    h('td', { 'data-label': 'chain' }, mark(it.checks.chain, it.checks.chain === 'ok' ? 'prev = the previous entry\'s leaf hash' : it.checks.chain)),
    h('td', { 'data-label': 'signed' }, it.entry && it.entry.statement === null ? mark(null, 'no statement')
      : mark(it.checks.statement, it.checks.statement === 'ok' ? `statement signed by ${it.kid}` : it.checks.statement))),
  it.errors.length ? h('tr', { class: 'bad-row problem-row', id: `entry-${it.seq}-problem` },
    h('td', { colspan: '7', class: 'problem' }, it.errors.map((e) => h('div', null, `entry ${it.seq}: ${e}`)))) : null]);
  section('entries', 'Log entries',
    h('p', { class: 'muted' }, `Per entry: included = its leaf hash SHA-256(0x00 ‖ entry) and inclusion proof lead to the checkpoint's root; ` +
      'chain = it names the previous entry\'s leaf hash; signed = its statement\'s signature verifies with a key of the policy in force.' +
      (bad.length ? ` ${bad.length} entr${bad.length === 1 ? 'y' : 'ies'} failed.` : '')),
    h('details', { open: bad.length > 0 || items.length <= 50 }, h('summary', null, `${items.length} entries, newest first`),
      h('div', { class: 'table-wrap' }, h('table', { class: 'entries' },
        h('thead', null, h('tr', null, ['seq', 'time', 'type', 'leaf hash', 'included', 'chain', 'signed'].map((x) => h('th', null, x)))),
        h('tbody', null, rows)))));
}

main().catch((e) => {
  console.error(e);
  status('failed', 'VERIFICATION FAILED: the page could not finish', String(e && e.message ? e.message : e));
});
