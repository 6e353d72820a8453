// I-JSON (RFC 7493) in the page's verify.js: the same refusals as the Java IJson class
// (issue 13 item 4). Run from the project root:  node --test server/src/test/js/
import { test } from 'node:test';
import assert from 'node:assert/strict';
import * as v from '../../main/resources/assets/verify.js';

const refused = (text, pattern) => assert.throws(() => v.parseIJson(text), (e) => {
  assert.equal(e.name, 'VerificationError');
  assert.match(e.message, pattern);
  return true;
});

test('parseIJson: a lone surrogate in a string value is refused (escaped, anywhere)', () => {
  refused('{"contact":"\\ud800@example.org"}', /lone surrogate/);
  refused('{"a":["x","\\udc00\\ud800"]}', /lone surrogate/);
  refused('{"a":{"b":"\\ud83d"}}', /lone surrogate/);
});

test('parseIJson: a lone surrogate in a member name is refused', () => {
  refused('{"\\udfff":1}', /member name .* lone surrogate/);
});

test('parseIJson: a surrogate pair, escaped or not, is accepted', () => {
  assert.equal(v.parseIJson('{"a":"\\ud83d\\ude00 \u{1F600}"}').a, '\u{1F600} \u{1F600}');
});

test('parseIJson: noncharacters are refused', () => {
  refused('{"a":"\\uffff"}', /noncharacter U\+FFFF/);
  refused('{"a":"\\ufdd0"}', /noncharacter U\+FDD0/);
});

test('parseIJson: numbers a double cannot hold are refused, the rest accepted', () => {
  refused('{"n":1e400}', /outside the range/);
  refused('{"n":[-1e400]}', /outside the range/);
  refused('{"n":1e-400}', /would read as 0/);
  refused('{"n":9007199254740993}', /beyond/);
  refused('{"n":-9007199254740992}', /beyond/);
  for (const ok of ['9007199254740991', '-9007199254740991', '1e30', '-0', '0e-400', '0.1', '4.9e-324']) {
    assert.doesNotThrow(() => v.parseIJson(`{"n":${ok}}`), ok);
  }
});

test('parseIJson: strings that look like numbers or surrogates are not numbers', () => {
  assert.deepEqual(v.parseIJson('{"n":"1e400","m":"\\\\ud800","k":"9007199254740993"}'),
    { n: '1e400', m: '\\ud800', k: '9007199254740993' });
});

test('parseIJson: nesting at the limit accepted, one deeper refused', () => {
  const d = v.MAX_JSON_DEPTH;
  assert.doesNotThrow(() => v.parseIJson('['.repeat(d) + ']'.repeat(d)));
  refused('['.repeat(d + 1) + ']'.repeat(d + 1), /deeper than 64/);
});

test('parseIJson: byte order mark and duplicates refused', () => {
  refused('\ufeff{}', /byte order mark/);
  refused('{"a":{"b":1,"b":2}}', /duplicate member name "b"/);
});

test('jcs: a lone surrogate has no canonical form, as in Java', () => {
  assert.throws(() => v.jcs({ contact: '\ud800@example.org' }), /lone surrogate/);
  assert.throws(() => v.jcs({ ['\udc00']: 1 }), /lone surrogate/);
  assert.equal(v.jcs({ b: '\u{1F600}', a: 1 }), '{"a":1,"b":"\u{1F600}"}');
});

test('configHash: the issue 13 pair no longer shares a hash', async () => {
  await assert.rejects(v.configHash({ contact: '\ud800@example.org' }), /lone surrogate/);
  assert.match(await v.configHash({ contact: '?@example.org' }), /^[0-9a-f]{64}$/);
});

test('decodeJws: a statement whose payload holds a lone surrogate is refused', () => {
  const b64 = (s) => Buffer.from(s, 'utf8').toString('base64url');
  const jws = `${b64('{"alg":"EdDSA","kid":"alice+00000000"}')}.${b64('{"iss":"alice","config":{"contact":"\\ud800"}}')}.AA`;
  assert.throws(() => v.decodeJws(jws), /lone surrogate/);
});

test('parseJsonStrict (log entries, as Java LogEntry.parse): duplicates refused, the rest as JSON.parse', () => {
  assert.throws(() => v.parseJsonStrict('{"a":1,"a":2}'), /duplicate member name "a"/);
  assert.deepEqual(v.parseJsonStrict('{"seq":9007199254740993,"s":"\\ud800"}'), { seq: 9007199254740993, s: '\ud800' });
});
