// Known-answer tests of the transparency page's verify.js in Node (>= 20: WebCrypto with Ed25519).
// Run from the project root:  node --test server/src/test/js/
// The same module is also exercised in headless Chromium by PageChromiumTest (Java).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as v from '../../main/resources/assets/verify.js';

const here = dirname(fileURLToPath(import.meta.url));
const testdata = join(here, '../../../../audit-log/src/test/resources/testdata');

function jsonFiles(dir) {
  const out = [];
  for (const name of readdirSync(dir).sort()) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...jsonFiles(p));
    else if (name.endsWith('.json')) out.push(p);
  }
  return out;
}

const b64 = (s) => Uint8Array.from(Buffer.from(s, 'base64'));
const hexBytes = (h) => Uint8Array.from(Buffer.from(h, 'hex'));

// The eight leaves behind the rfc6962 vectors and the roots of the trees of size 0..8
// (audit-log Rfc6962VectorsTest).
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'];
const ROOTS = [
  'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

test('Ed25519 is supported by this runtime', async () => {
  assert.equal(await v.ed25519Supported(), true);
});

test('rfc6962 inclusion vectors: happy paths verify, every wantErr case is refused', async () => {
  const files = jsonFiles(join(testdata, 'rfc6962/inclusion'));
  assert.ok(files.length > 30, `found ${files.length} vectors`);
  for (const f of files) {
    const t = JSON.parse(readFileSync(f, 'utf8'));
    const run = () => v.verifyInclusion(t.leafIdx, t.treeSize, b64(t.leafHash), t.proof, b64(t.root));
    if (t.wantErr) await assert.rejects(run, v.VerificationError, `${f}: ${t.desc}`);
    else await run();
  }
});

test('rfc6962 consistency vectors: happy paths verify, every wantErr case is refused', async () => {
  const files = jsonFiles(join(testdata, 'rfc6962/consistency'));
  assert.ok(files.length > 30, `found ${files.length} vectors`);
  for (const f of files) {
    const t = JSON.parse(readFileSync(f, 'utf8'));
    const run = () => v.verifyConsistency(t.size1, t.size2, b64(t.root1), b64(t.root2), t.proof);
    if (t.wantErr) await assert.rejects(run, v.VerificationError, `${f}: ${t.desc}`);
    else await run();
  }
});

test('merkleRoot over the README leaves gives the roots of sizes 0..8', async () => {
  const leaves = [];
  assert.equal(v.hex(await v.merkleRoot(leaves)), ROOTS[0]);
  for (let i = 0; i < LEAVES.length; i++) {
    leaves.push(await v.leafHash(hexBytes(LEAVES[i])));
    assert.equal(v.hex(await v.merkleRoot(leaves)), ROOTS[i + 1], `size ${i + 1}`);
  }
});

test('signed-note vectors: key ids recomputed, every note opens with its verifier key', async () => {
  const vectors = JSON.parse(readFileSync(join(testdata, 'signed-note/vectors.json'), 'utf8'));
  assert.ok(vectors.length >= 3);
  for (const t of vectors) {
    const key = await v.parseVerifierKey(t.verifierKey);
    const opened = await v.openNote(t.signedNote, key);
    assert.equal(opened.text, t.text, t.desc);
    assert.deepEqual(opened.others, []);
  }
});

test('signed notes: an altered text, another key and a flipped signature bit are refused', async () => {
  const [t] = JSON.parse(readFileSync(join(testdata, 'signed-note/vectors.json'), 'utf8'));
  const key = await v.parseVerifierKey(t.verifierKey);
  await assert.rejects(v.openNote(t.signedNote.replace('cryptography', 'cryptographY'), key), /does not verify/);
  const sigLine = t.signedNote.slice(t.signedNote.lastIndexOf('\n\n') + 2);
  const blob = b64(sigLine.split(' ')[2].trim());
  blob[10] ^= 1;
  const flipped = t.signedNote.replace(sigLine, `— PeterNeumann ${Buffer.from(blob).toString('base64')}\n`);
  await assert.rejects(v.openNote(flipped, key), /does not verify/);
  const other = { ...key, name: 'Other', keyIdHex: '00000000' };
  await assert.rejects(v.openNote(t.signedNote, other), /not signed by the key Other\+00000000/);
});

test('a checkpoint opens only with a key named after its origin', async () => {
  const vectors = JSON.parse(readFileSync(join(testdata, 'signed-note/vectors.json'), 'utf8'));
  const cp = vectors.find((t) => t.text.startsWith('example.org/log\n8\n'));
  const key = await v.parseVerifierKey(cp.verifierKey);
  await assert.rejects(v.openCheckpoint(cp.signedNote, key), /origin "example.org\/log" is not the log key's name/);
  assert.deepEqual(v.parseCheckpointBody(cp.text).size, 8);
  assert.equal(v.hex(v.parseCheckpointBody(cp.text).root), ROOTS[8]);
});

test('verifier keys: wrong key id, wrong type and non-canonical base64 are refused', async () => {
  const good = 'PeterNeumann+c74f20a3+ARpc2QcUPDhMQegwxbzhKqiBfsVkmqq/LDE4izWy10TW';
  const k = await v.parseVerifierKey(good);
  assert.equal(k.keyIdHex, 'c74f20a3');
  assert.equal(k.publicKey.length, 32);
  await assert.rejects(v.parseVerifierKey(good.replace('c74f20a3', 'c74f20a4')), /does not match the key, computed c74f20a3/);
  await assert.rejects(v.parseVerifierKey(good, v.KEY_TYPE_COSIGNATURE), /key type is 0x01/);
  await assert.rejects(v.parseVerifierKey(good.slice(0, -1)), /base64/);
  await assert.rejects(v.parseVerifierKey('nokey'), /not a verifier key/);
});

test('strict JSON refuses duplicate member names at any depth', () => {
  assert.deepEqual(v.parseJsonStrict('{"a":{"b":1,"c":[{"b":2}]},"b":"x"}'), { a: { b: 1, c: [{ b: 2 }] }, b: 'x' });
  assert.throws(() => v.parseJsonStrict('{"a":1,"a":2}'), /duplicate member name "a"/);
  assert.throws(() => v.parseJsonStrict('{"x":[{"k":1,"k":1}]}'), /duplicate member name "k"/);
  assert.throws(() => v.parseJsonStrict('{"a\\"b":1,"a\\u0022b":2}'), /duplicate/);
});

test('JCS (RFC 8785): sorted members, shortest numbers, one form per document', async () => {
  assert.equal(v.jcs(JSON.parse('{"b":1,"a":[1.0,"x"]}')), '{"a":[1,"x"],"b":1}');
  assert.equal(v.jcs(JSON.parse('{ "a": [1, "x"], "b": 1.00 }')), '{"a":[1,"x"],"b":1}');
  assert.equal(v.jcs(JSON.parse('[1e30, 4.50, 2e-3, 0.000001, 1e-7, -0]')), '[1e+30,4.5,0.002,0.000001,1e-7,0]');
  assert.equal(v.jcs({ '\u20ac': 1, '\r': 2, 'ö': 3, 1: 4 }), '{"\\r":2,"1":4,"ö":3,"€":1}');
  assert.equal(await v.configHash({}), '44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a');
});

test('entries: the exact shape is enforced and the chain is checked link by link', async () => {
  const zero = 'AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=';
  const e0 = `{"seq":0,"time":"2026-11-25T08:00:00.000Z","prev":"${zero}","type":"log.genesis","facts":{"origin":"o"}}`;
  const d0 = v.decodeEntry(v.bytesOf(e0));
  v.checkChainLink(null, d0);
  const h0 = await v.leafHash(v.bytesOf(e0));
  const e1 = `{"seq":1,"time":"2026-11-25T08:00:00.001Z","prev":"${v.b64encode(h0)}","type":"change.expired","facts":{"change":1}}`;
  const d1 = v.decodeEntry(v.bytesOf(e1));
  v.checkChainLink({ seq: 0, time: d0.time, leafHash: h0 }, d1);
  assert.throws(() => v.checkChainLink({ seq: 0, time: d0.time, leafHash: new Uint8Array(32) }, d1),
    /prev does not match entry 0's leaf hash/);
  assert.throws(() => v.checkChainLink({ seq: 0, time: '2026-11-25T09:00:00.000Z', leafHash: h0 }, d1), /is before/);
  assert.throws(() => v.decodeEntry(v.bytesOf(e0.replace('"type":"log.genesis",', ''))), /members are/);
  assert.throws(() => v.decodeEntry(v.bytesOf(e0.replace('.000Z', 'Z'))), /time/);
  assert.throws(() => v.decodeEntry(v.bytesOf(e0.replace('{"origin":"o"}', '{"o":1,"o":2}'))), /duplicate/);
  assert.throws(() => v.decodeEntry(new Uint8Array([0x7b, 0xff, 0x7d])), /UTF-8/);
});
