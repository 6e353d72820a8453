// Tests of the page's policydiff.js against the golden data the Java ContentDiffGoldenTest reads too.
// Run: node --test server/src/test/js/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { contentDiff, line, alarming, policyChangeView } from '../../main/resources/assets/policydiff.js';

const GOLDEN = JSON.parse(readFileSync(new URL('../../../../audit-log/src/test/resources/policydiff/content-golden.json', import.meta.url), 'utf8'));

test('contentDiff: every golden case gives exactly the lines the Java ContentDiff gives', () => {
  assert.ok(GOLDEN.cases.length >= 6);
  for (const c of GOLDEN.cases) {
    assert.deepEqual(contentDiff(c.old, c.new).map(line), c.lines, c.name);
  }
});

test('contentDiff: the issue scenario names the dropped guard and the new enum value as widening', () => {
  const c = GOLDEN.cases[0];
  const alarms = contentDiff(c.old, c.new).filter((x) => alarming(x.verdict)).map(line);
  assert.deepEqual(alarms, [
    '[widens] monitor: guard coarse-time-buckets removed (it required: config.record.bucket_minutes >= 60)',
    '[widens] monitor: schema record.fields[]: enum value "src_addr" added',
  ]);
});

test('contentDiff: member order of the documents does not change the result', () => {
  const c = GOLDEN.cases[1];
  const reversed = (v) => (v && typeof v === 'object' && !Array.isArray(v)
    ? Object.fromEntries(Object.entries(v).reverse().map(([k, x]) => [k, reversed(x)])) : Array.isArray(v) ? v.map(reversed) : v);
  assert.deepEqual(contentDiff(reversed(c.old), reversed(c.new)).map(line), c.lines);
});

test('policyChangeView: the page lists what widens first, then the rest', () => {
  const c = GOLDEN.cases[3];
  const v = policyChangeView(c.old, c.new);
  assert.deepEqual(v.widens, c.lines.filter((l) => l.startsWith('[widens]') || l.startsWith('[may widen]')));
  assert.deepEqual(v.other, c.lines.filter((l) => !(l.startsWith('[widens]') || l.startsWith('[may widen]'))));
  assert.deepEqual(policyChangeView(GOLDEN.cases[0].old, GOLDEN.cases[0].new).widens, GOLDEN.cases[0].lines);
});
