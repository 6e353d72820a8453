// Tests of the page's pure modules diff.js and history.js.  Run: node --test server/src/test/js/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonDiff } from '../../main/resources/assets/diff.js';
import { buildHistory, missingApprovals, rightsTable, durationMs, isOpen } from '../../main/resources/assets/history.js';
import { configHash } from '../../main/resources/assets/verify.js';

test('jsonDiff: members, arrays by common subsequence, changes in place, first configuration', () => {
  assert.deepEqual(jsonDiff({ p: ['accept *:443', 'reject *:*'] }, { p: ['accept *:80', 'accept *:443', 'reject *:*'] }),
    [{ path: 'p[0]', kind: 'added', before: undefined, after: 'accept *:80' }]);
  assert.deepEqual(jsonDiff({ p: ['a', 'b', 'c'] }, { p: ['a', 'x', 'c'] }),
    [{ path: 'p[1]', kind: 'changed', before: 'b', after: 'x' }]);
  assert.deepEqual(jsonDiff({ p: ['a', 'b', 'c'] }, { p: ['a', 'c'] }),
    [{ path: 'p[1]', kind: 'removed', before: 'b', after: undefined }]);
  assert.deepEqual(jsonDiff({ s: [{ n: 1, d: 'x' }] }, { s: [{ n: 1, d: 'y' }] }),
    [{ path: 's[0].d', kind: 'changed', before: 'x', after: 'y' }]);
  assert.deepEqual(jsonDiff({ capture: { enabled: true } }, { capture: { enabled: false } }),
    [{ path: 'capture.enabled', kind: 'changed', before: true, after: false }]);
  assert.deepEqual(jsonDiff({ a: 1, b: 2 }, { b: 3, c: 4 }).map((d) => `${d.kind} ${d.path}`), ['removed a', 'changed b', 'added c']);
  assert.deepEqual(jsonDiff(null, { a: 1 }), [{ path: 'a', kind: 'added', before: undefined, after: 1 }]);
  assert.deepEqual(jsonDiff({ 'odd.key': 1 }, { 'odd.key': 2 })[0].path, '["odd.key"]');
  assert.deepEqual(jsonDiff({ a: [1] }, { a: [1] }), []);
});

const POLICY = {
  policy: 'p',
  components: { relay: { description: 'the relay' }, monitor: { emergency: { set: {}, approvals: { factors: [] } } } },
  roles: {
    op: { request: ['relay'], approve: ['monitor'] },
    net: { request: ['monitor'], approve: ['relay', 'monitor'] },
    ana: { approve: ['relay'] },
    agent: { report: ['relay'] },
    aud: { read: true },
  },
  principals: {
    rene: { roles: ['op'], keys: [] },
    nora: { roles: ['net'], keys: [] },
    anna: { roles: ['ana'], keys: [] },
    ines: { roles: ['aud'], keys: [] },
    a: { roles: ['agent'], keys: [] },
  },
  approvals: {
    default: { factors: [{ count: 1, roles: ['op', 'net', 'ana'] }] },
    relay: { factors: [{ count: 1, roles: ['net'] }, { count: 1, roles: ['net', 'ana'] }] },
  },
  timing: { pending_ttl: 'P7D', apply_ttl: 'PT24H' },
};

test('missingApprovals: factors matched to approvers, requester and ineligible principals never count', () => {
  const change = (decisions) => ({ component: 'relay', requester: 'rene', emergency: false,
    decisions: decisions.map(([by, decision]) => ({ by, decision })) });
  assert.equal(missingApprovals(POLICY, change([])).text, 'needs 1 more approval from net and 1 more approval from net or ana');
  assert.deepEqual(missingApprovals(POLICY, change([])).canStill, ['nora', 'anna']);
  // anna can only fill the second factor, nora the first: both together satisfy the rule.
  assert.equal(missingApprovals(POLICY, change([['anna', 'approve']])).text, 'needs 1 more approval from net');
  assert.equal(missingApprovals(POLICY, change([['anna', 'approve'], ['nora', 'approve']])).text, 'no approval missing');
  // The requester's own approval and a reader's do not count.
  assert.equal(missingApprovals(POLICY, change([['rene', 'approve'], ['ines', 'approve']])).missing.length, 2);
  // An emergency uses the component's emergency rule.
  assert.equal(missingApprovals(POLICY, { component: 'monitor', requester: 'nora', emergency: true, decisions: [] }).text,
    'no approval missing');
});

test('rightsTable and durations', () => {
  const t = rightsTable(POLICY);
  assert.deepEqual(t.components, ['relay', 'monitor', 'policy']);
  assert.deepEqual(t.rows.find((r) => r.principal === 'nora').rights, { relay: ['approve'], monitor: ['request', 'approve'] });
  assert.equal(t.rows.find((r) => r.principal === 'ines').read, true);
  assert.equal(durationMs('P7D'), 7 * 86400000);
  assert.equal(durationMs('PT24H'), 86400000);
  assert.equal(durationMs('P1DT12H30M'), (36 * 3600 + 1800) * 1000);
  assert.equal(durationMs('P1M'), null);
});

test('buildHistory: a change requested, approved and applied, then a pending one with its diff base', async () => {
  const v1 = { a: 1 };
  const v2 = { a: 2 };
  const h1 = await configHash(v1);
  const at = (s) => `2026-11-25T08:00:0${s}.000Z`;
  const items = [
    { seq: 0, time: at(0), type: 'log.genesis', facts: { origin: 'o', log_key: 'k', policy: POLICY, policy_sha256: 'ph' } },
    { seq: 1, time: at(1), type: 'change.requested', facts: { change: 1, component: 'relay', state: 'requested' },
      payload: { iss: 'rene', component: 'relay', base: null, config: v1, reason: 'r1', iat: 1 }, statementHash: 'h1' },
    { seq: 2, time: at(2), type: 'change.decided', facts: { change: 1, state: 'approved' },
      payload: { iss: 'nora', change: 1, request: 'h1', decision: 'approve', iat: 2 } },
    { seq: 3, time: at(3), type: 'change.reported', facts: { change: 1, state: 'applied' },
      payload: { iss: 'a', component: 'relay', change: 1, applied: h1, status: 'applied' } },
    { seq: 4, time: at(4), type: 'change.requested', facts: { change: 4, component: 'relay', state: 'requested' },
      payload: { iss: 'rene', component: 'relay', base: h1, config: v2, reason: 'r2', iat: 4 }, statementHash: 'h4' },
    { seq: 5, time: at(5), type: 'statement.refused', facts: { reason: 'no', problem: 'self-approval', expected: 'x' },
      payload: { iss: 'rene', typ: 'foureyes.decision/v1' } },
  ];
  const h = await buildHistory(items);
  assert.deepEqual(h.problems, []);
  const relay = h.components.get('relay');
  assert.equal(relay.version, 1);
  assert.equal(relay.hash, h1);
  assert.deepEqual(relay.config, v1);
  assert.equal(h.components.get('policy').version, 1);
  const c1 = h.changes.get(1);
  assert.equal(c1.state, 'applied');
  assert.equal(c1.previous, null);
  assert.equal(c1.decisions[0].by, 'nora');
  assert.equal(isOpen(c1), false);
  const c4 = h.changes.get(4);
  assert.deepEqual(c4.previous, v1);
  assert.equal(isOpen(c4), true);
  assert.equal(h.refused[0].problem, 'self-approval');
  // A base that is not the current configuration is noticed.
  items[4] = { ...items[4], payload: { ...items[4].payload, base: 'ff'.repeat(32) } };
  const h2 = await buildHistory(items);
  assert.equal(h2.changes.get(4).previous, undefined);
  assert.match(h2.problems[0].message, /change 4: its base/);
});
