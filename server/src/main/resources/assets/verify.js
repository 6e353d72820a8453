// foureyes transparency page: verification. No DOM access, no network: everything here takes
// bytes or text and either returns what it checked or throws a VerificationError that says what
// did not hold. WebCrypto only (crypto.subtle: SHA-256 digest, Ed25519 importKey + verify).
// Runs in browsers and in Node >= 20 (the known-answer tests). See docs/page.md.

export class VerificationError extends Error {
  constructor(message) {
    super(message);
    this.name = 'VerificationError';
  }
}

const subtle = globalThis.crypto && globalThis.crypto.subtle;
const utf8 = new TextEncoder();
const utf8Strict = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

function fail(message) {
  throw new VerificationError(message);
}

// ---------------------------------------------------------------------------------------------
// Bytes, base64, hex

export function bytesOf(text) {
  return utf8.encode(text);
}

export function concat(...parts) {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

export function equalBytes(a, b) {
  if (a.length !== b.length) return false;
  let d = 0;
  for (let i = 0; i < a.length; i++) d |= a[i] ^ b[i];
  return d === 0;
}

export function hex(bytes) {
  let s = '';
  for (const b of bytes) s += b.toString(16).padStart(2, '0');
  return s;
}

export function b64encode(bytes) {
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  }
  return btoa(s);
}

/** Standard base64 with padding (RFC 4648 section 4), canonical spelling only. */
export function b64decode(text, what = 'base64') {
  if (typeof text !== 'string' || !/^[A-Za-z0-9+/]*={0,2}$/.test(text) || text.length % 4 !== 0) {
    fail(`${what} is not canonical base64: ${shorten(text)}`);
  }
  let bin;
  try {
    bin = atob(text);
  } catch (e) {
    fail(`${what} is not valid base64: ${shorten(text)}`);
  }
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  if (b64encode(out) !== text) fail(`${what} is not canonical base64: ${shorten(text)}`);
  return out;
}

/** Unpadded base64url (RFC 4648 section 5) as in JWS, canonical spelling only. */
export function b64urlDecode(text, what = 'base64url') {
  if (typeof text !== 'string' || !/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) {
    fail(`${what} is not canonical base64url`);
  }
  const std = text.replace(/-/g, '+').replace(/_/g, '/');
  const padded = std + '='.repeat((4 - (std.length % 4)) % 4);
  const out = b64decode(padded, what);
  return out;
}

function shorten(v) {
  const s = String(v);
  return JSON.stringify(s.length > 60 ? s.slice(0, 60) + '…' : s);
}

// ---------------------------------------------------------------------------------------------
// Hashes (RFC 6962 / RFC 9162 section 2.1 with SHA-256)

export async function sha256(bytes) {
  return new Uint8Array(await subtle.digest('SHA-256', bytes));
}

export async function sha256Hex(bytes) {
  return hex(await sha256(bytes));
}

/** Leaf hash of an entry: SHA-256(0x00 || bytes). */
export async function leafHash(bytes) {
  return sha256(concat(new Uint8Array([0]), bytes));
}

/** Interior node: SHA-256(0x01 || left || right). */
export async function nodeHash(left, right) {
  return sha256(concat(new Uint8Array([1]), left, right));
}

/** Root of the tree over all the given leaf hashes (MTH of RFC 9162 2.1.1). */
export async function merkleRoot(leafHashes) {
  if (leafHashes.length === 0) return sha256(new Uint8Array(0));
  // Fold level by level; an odd node at the end is carried up unchanged, which yields the same
  // tree as RFC 6962's split at the largest power of two below n.
  let level = leafHashes.slice();
  while (level.length > 1) {
    const next = [];
    for (let i = 0; i + 1 < level.length; i += 2) next.push(await nodeHash(level[i], level[i + 1]));
    if (level.length % 2 === 1) next.push(level[level.length - 1]);
    level = next;
  }
  return level[0];
}

function big(n, what) {
  if (typeof n === 'bigint') return n;
  if (!Number.isSafeInteger(n) || n < 0) fail(`${what} must be a non-negative integer, got ${n}`);
  return BigInt(n);
}

function proofHashes(proof) {
  if (proof == null) return [];
  if (!Array.isArray(proof)) fail('a proof must be a list of hashes');
  return proof.map((p, i) => {
    const h = typeof p === 'string' ? b64decode(p, `proof hash ${i}`) : p;
    if (!(h instanceof Uint8Array) || h.length !== 32) {
      fail(`proof hash ${i} has ${h && h.length} bytes, expected 32`);
    }
    return h;
  });
}

function checkHash(h, what) {
  if (!(h instanceof Uint8Array) || h.length !== 32) fail(`${what} must be 32 bytes`);
}

/** The root an inclusion proof leads to (RFC 9162 2.1.3.2), or a VerificationError. */
export async function rootFromInclusionProof(index, size, leaf, proof) {
  const fnStart = big(index, 'index');
  const sz = big(size, 'size');
  checkHash(leaf, 'leaf hash');
  if (fnStart >= sz) fail(`index ${index} is not in a tree of size ${size}`);
  const path = proofHashes(proof);
  let fn = fnStart;
  let sn = sz - 1n;
  let r = leaf;
  for (const p of path) {
    if (sn === 0n) fail(`the proof has more hashes than a tree of size ${size} needs (${path.length})`);
    if ((fn & 1n) === 1n || fn === sn) {
      r = await nodeHash(p, r);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      r = await nodeHash(r, p);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) fail(`the proof has fewer hashes than a tree of size ${size} needs (${path.length})`);
  return r;
}

/** Checks that `leaf` is at `index` in the tree of `size` leaves whose root is `root`. */
export async function verifyInclusion(index, size, leaf, proof, root) {
  checkHash(root, 'root');
  const computed = await rootFromInclusionProof(index, size, leaf, proof);
  if (!equalBytes(computed, root)) {
    fail(`inclusion proof does not match the checkpoint root: expected ${b64encode(root)}, computed ${b64encode(computed)}`);
  }
}

/** Checks that the tree (size2, root2) extends the tree (size1, root1) (RFC 9162 2.1.4.2). */
export async function verifyConsistency(size1, size2, root1, root2, proof) {
  const s1 = big(size1, 'size1');
  const s2 = big(size2, 'size2');
  checkHash(root1, 'root1');
  checkHash(root2, 'root2');
  const path = proofHashes(proof);
  if (s1 > s2) fail(`size1 ${size1} is larger than size2 ${size2}`);
  if (s1 === s2) {
    if (path.length !== 0) fail('a proof between equal sizes must be empty');
    if (!equalBytes(root1, root2)) fail(`two different roots for the same size ${size1}`);
    return;
  }
  if (s1 === 0n) {
    if (path.length !== 0) fail('a proof from the empty tree must be empty');
    return;
  }
  if (path.length === 0) fail('empty consistency proof');
  const c = (s1 & (s1 - 1n)) === 0n ? [root1, ...path] : path;
  let fn = s1 - 1n;
  let sn = s2 - 1n;
  while ((fn & 1n) === 1n) {
    fn >>= 1n;
    sn >>= 1n;
  }
  let fr = c[0];
  let sr = c[0];
  for (const h of c.slice(1)) {
    if (sn === 0n) fail('the consistency proof is too long');
    if ((fn & 1n) === 1n || fn === sn) {
      fr = await nodeHash(h, fr);
      sr = await nodeHash(h, sr);
      if ((fn & 1n) === 0n) {
        while ((fn & 1n) === 0n && fn !== 0n) {
          fn >>= 1n;
          sn >>= 1n;
        }
      }
    } else {
      sr = await nodeHash(sr, h);
    }
    fn >>= 1n;
    sn >>= 1n;
  }
  if (sn !== 0n) fail('the consistency proof is too short');
  if (!equalBytes(fr, root1)) {
    fail(`consistency proof does not lead to the older root: expected ${b64encode(root1)}, computed ${b64encode(fr)}`);
  }
  if (!equalBytes(sr, root2)) {
    fail(`consistency proof does not lead to the newer root: expected ${b64encode(root2)}, computed ${b64encode(sr)}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Ed25519 through WebCrypto

// RFC 8032 section 7.1, test 1 (empty message).
const RFC8032_PUB = '11qYAYKxCrfVS/7TyWQHOg7hcvPapiMlrwIaaPcHURo=';
const RFC8032_SIG = '5VZDAMNgrHKQhuLMgG6CioSHfx645dl02HPgZSJJAVVfuIIVkKM7rMYeOXAc+bRr0lv18FlbviRlUUFDjnoQCw==';

/**
 * Whether this browser verifies Ed25519 signatures through WebCrypto: imports RFC 8032's first
 * test key, accepts its signature and rejects an altered one.
 */
export async function ed25519Supported() {
  if (!subtle) return false;
  try {
    const key = await subtle.importKey('raw', b64decode(RFC8032_PUB), { name: 'Ed25519' }, false, ['verify']);
    const sig = b64decode(RFC8032_SIG);
    const good = await subtle.verify({ name: 'Ed25519' }, key, sig, new Uint8Array(0));
    sig[0] ^= 1;
    const bad = await subtle.verify({ name: 'Ed25519' }, key, sig, new Uint8Array(0));
    return good === true && bad === false;
  } catch (e) {
    return false;
  }
}

const importedKeys = new Map(); // base64 public key -> CryptoKey (a log has few keys, many signatures)

export async function ed25519Verify(publicKey, signature, message) {
  const id = b64encode(publicKey);
  let key = importedKeys.get(id);
  if (!key) {
    try {
      key = await subtle.importKey('raw', publicKey, { name: 'Ed25519' }, false, ['verify']);
    } catch (e) {
      fail(`not a usable Ed25519 public key (${e.message})`);
    }
    importedKeys.set(id, key);
  }
  if (signature.length !== 64) return false;
  return subtle.verify({ name: 'Ed25519' }, key, signature, message);
}

// ---------------------------------------------------------------------------------------------
// Keys (C2SP signed-note): <name>+<8 hex key id>+<base64(type || 32-byte key)>

export const KEY_TYPE_ED25519 = 0x01;
export const KEY_TYPE_COSIGNATURE = 0x04;

/** key id = SHA-256(name || 0x0A || type || public key)[:4] */
export async function keyId(name, type, publicKey) {
  const h = await sha256(concat(bytesOf(name), new Uint8Array([0x0a, type]), publicKey));
  return h.slice(0, 4);
}

function validName(name) {
  // Go's isValidName: non-empty, no '+', no Unicode space (we also refuse control characters).
  return name.length > 0 && !name.includes('+') && !/[\s\p{Cc}]/u.test(name) && name.isWellFormed?.() !== false;
}

/**
 * Parses a verifier key `<name>+<key id>+<base64(type || key)>` and recomputes its key id.
 * `type` is 0x01 for log and principal keys, 0x04 for witness (cosignature) keys.
 */
export async function parseVerifierKey(text, type = KEY_TYPE_ED25519) {
  const t = String(text).trim();
  const i = t.indexOf('+');
  const j = i < 0 ? -1 : t.indexOf('+', i + 1);
  if (i < 0 || j < 0) fail(`not a verifier key <name>+<key id>+<base64 key>: ${shorten(t)}`);
  const name = t.slice(0, i);
  const idHex = t.slice(i + 1, j);
  if (!validName(name)) fail(`invalid key name ${shorten(name)}`);
  if (!/^[0-9a-f]{8}$/.test(idHex)) fail(`key id must be 8 lowercase hex digits, got ${shorten(idHex)}`);
  const raw = b64decode(t.slice(j + 1), 'key');
  if (raw.length !== 33) fail(`key must be 33 bytes (type and 32-byte Ed25519 key), got ${raw.length}`);
  if (raw[0] !== type) fail(`key type is 0x${raw[0].toString(16).padStart(2, '0')}, expected 0x0${type}`);
  const publicKey = raw.slice(1);
  const computed = hex(await keyId(name, type, publicKey));
  if (computed !== idHex) fail(`key id ${idHex} does not match the key, computed ${computed}`);
  return { name, keyIdHex: idHex, publicKey, type, text: t };
}

// ---------------------------------------------------------------------------------------------
// Signed notes and checkpoints (C2SP signed-note, tlog-checkpoint, tlog-cosignature)

const EM_DASH = '\u2014';

/** Splits a signed note into its text and signature lines (syntax only, nothing verified). */
export function parseNote(note) {
  if (typeof note !== 'string') fail('a note must be text');
  if (!note.endsWith('\n')) fail('the note does not end with a newline');
  if (/[\u0000-\u0009\u000b-\u001f\u007f]/.test(note)) fail('the note contains control characters');
  const split = note.lastIndexOf('\n\n');
  if (split < 0) fail('the note has no blank line before its signatures');
  const text = note.slice(0, split + 1);
  const sigLines = note.slice(split + 2, -1).split('\n');
  if (sigLines.length === 1 && sigLines[0] === '') fail('the note has no signature lines');
  if (sigLines.length > 100) fail('the note has more than 100 signature lines');
  const signatures = sigLines.map((line, n) => {
    if (!line.startsWith(EM_DASH + ' ')) fail(`signature line ${n + 1} does not start with "— "`);
    const rest = line.slice(2);
    const sp = rest.lastIndexOf(' ');
    if (sp <= 0) fail(`signature line ${n + 1} has no key name and signature`);
    const name = rest.slice(0, sp);
    if (!validName(name)) fail(`signature line ${n + 1} has an invalid key name`);
    const blob = b64decode(rest.slice(sp + 1), `signature line ${n + 1}`);
    if (blob.length < 5) fail(`signature line ${n + 1} is too short`);
    return { name, keyIdHex: hex(blob.slice(0, 4)), blob, line };
  });
  return { text, signatures };
}

/** Parses a checkpoint body: origin, size, base64 root hash, optional extension lines. */
export function parseCheckpointBody(text) {
  const lines = text.slice(0, -1).split('\n');
  if (lines.length < 3 || lines.some((l) => l === '')) fail('a checkpoint body has origin, size and root hash lines');
  const [origin, sizeText, rootText] = lines;
  if (!/^(0|[1-9][0-9]{0,18})$/.test(sizeText)) fail(`checkpoint size ${shorten(sizeText)} is not a decimal number`);
  const size = Number(sizeText);
  if (!Number.isSafeInteger(size)) fail(`checkpoint size ${sizeText} is larger than this page can handle`);
  const root = b64decode(rootText, 'checkpoint root hash');
  if (root.length !== 32) fail('checkpoint root hash must be 32 bytes');
  return { origin, size, root, rootB64: rootText, extensions: lines.slice(3) };
}

/**
 * Opens a signed note with one key: the note must carry a line by the key's name and key id
 * whose Ed25519 signature over the text verifies. Returns {text, others} where others are the
 * remaining signature lines (for a checkpoint: cosignatures, checked by verifyCosignatures).
 */
export async function openNote(note, key) {
  const { text, signatures } = parseNote(note);
  const seen = new Set();
  for (const s of signatures) {
    const id = `${s.name}+${s.keyIdHex}`;
    if (seen.has(id)) fail(`the note has two signature lines by ${id}`);
    seen.add(id);
  }
  const mine = signatures.find((s) => s.name === key.name && s.keyIdHex === key.keyIdHex);
  if (!mine) {
    const by = signatures.map((s) => `${s.name}+${s.keyIdHex}`).join(', ');
    fail(`not signed by the key ${key.name}+${key.keyIdHex}; signed by ${by}`);
  }
  const sig = mine.blob.slice(4);
  if (sig.length !== 64 || !(await ed25519Verify(key.publicKey, sig, bytesOf(text)))) {
    fail(`the signature by ${key.name}+${key.keyIdHex} does not verify`);
  }
  const others = signatures.filter((s) => s !== mine).map((s) => {
    const isCosig = s.blob.length === 4 + 8 + 64;
    let time = null;
    if (isCosig) time = new DataView(s.blob.buffer, s.blob.byteOffset + 4, 8).getBigUint64(0);
    return { name: s.name, keyIdHex: s.keyIdHex, blob: s.blob, cosignature: isCosig, time };
  });
  return { text, others };
}

/**
 * Opens a signed checkpoint with the log key (openNote), parses its body and checks that the
 * origin is the log key's name. Returns {origin, size, root, rootB64, extensions, text, keyIdHex, others}.
 */
export async function openCheckpoint(note, logKey) {
  let opened;
  try {
    opened = await openNote(note, logKey);
  } catch (e) {
    fail(`checkpoint: ${e.message}`);
  }
  const body = parseCheckpointBody(opened.text);
  if (body.origin !== logKey.name) {
    fail(`the checkpoint's origin ${shorten(body.origin)} is not the log key's name ${shorten(logKey.name)}`);
  }
  return { ...body, text: opened.text, keyIdHex: logKey.keyIdHex, others: opened.others };
}

/**
 * Checks cosignature lines (tlog-cosignature/v1, key type 0x04) against the given witness keys.
 * Returns one result per other line: {name, keyIdHex, time, status: 'verified' | 'unknown-key'};
 * throws if a line by a given witness key does not verify.
 */
export async function verifyCosignatures(checkpoint, witnessKeys) {
  const results = [];
  for (const line of checkpoint.others) {
    const key = witnessKeys.find((k) => k.name === line.name && k.keyIdHex === line.keyIdHex);
    if (!key) {
      results.push({ name: line.name, keyIdHex: line.keyIdHex, time: line.time, status: 'unknown-key' });
      continue;
    }
    if (!line.cosignature) fail(`the line by witness ${line.name}+${line.keyIdHex} is not a cosignature (wrong length)`);
    const time = line.time;
    if (time > 0x7fffffffffffffffn) fail(`cosignature time of ${line.name} is out of range`);
    const message = concat(bytesOf(`cosignature/v1\ntime ${time}\n`), bytesOf(checkpoint.text));
    if (!(await ed25519Verify(key.publicKey, line.blob.slice(12), message))) {
      fail(`the cosignature by witness ${line.name}+${line.keyIdHex} does not verify`);
    }
    results.push({ name: line.name, keyIdHex: line.keyIdHex, time, status: 'verified' });
  }
  return results;
}

// ---------------------------------------------------------------------------------------------
// Strict JSON: one reading per document, and I-JSON (RFC 7493) as everywhere in foureyes
// (docs/statements.md "I-JSON"): RFC 8785 hashes are defined only for I-JSON, and outside it two
// documents can share a hash (Java writes a lone surrogate as '?').

/** Deepest nesting of arrays and objects accepted (IJson.MAX_DEPTH in Java). */
export const MAX_JSON_DEPTH = 64;
const MAX_SAFE = 2n ** 53n - 1n;

/**
 * JSON.parse, but a duplicate member name anywhere is an error (as everywhere in foureyes). Log
 * entries are read this way, exactly as the Java LogEntry.parse reads them.
 */
export function parseJsonStrict(text) {
  const value = JSON.parse(text);
  scanJson(text, false);
  return value;
}

/**
 * JSON.parse, refusing what is not I-JSON, as Java's IJson does for statements: a duplicate member
 * name anywhere, a lone surrogate or noncharacter in a name or string, an integer literal beyond
 * ±(2^53−1), a number that is not finite or underflows to 0, nesting deeper than MAX_JSON_DEPTH,
 * a byte order mark.
 */
export function parseIJson(text) {
  if (text.charCodeAt(0) === 0xfeff) fail('the JSON text starts with a byte order mark');
  const value = JSON.parse(text);
  scanJson(text, true);
  return value;
}

/** Refuses a lone surrogate or a Unicode noncharacter (RFC 7493 section 2.1). */
export function checkUnicode(s, where = 'a string') {
  if (!s.isWellFormed()) fail(`${where} holds a lone surrogate`);
  for (const ch of s) {
    const cp = ch.codePointAt(0);
    if ((cp >= 0xfdd0 && cp <= 0xfdef) || (cp & 0xfffe) === 0xfffe) {
      fail(`${where} holds the noncharacter U+${cp.toString(16).toUpperCase().padStart(4, '0')}`);
    }
  }
}

function checkNumber(token) {
  if (!/[.eE]/.test(token)) {
    const n = BigInt(token);
    if (n > MAX_SAFE || n < -MAX_SAFE) fail(`the integer ${shorten(token)} is beyond ±(2^53−1), which a double cannot hold exactly`);
    return;
  }
  const d = Number(token);
  if (!Number.isFinite(d)) fail(`the number ${shorten(token)} is outside the range of a double`);
  const mantissa = token.split(/[eE]/)[0];
  if (d === 0 && /[1-9]/.test(mantissa)) fail(`the number ${shorten(token)} is too small for a double and would read as 0`);
}

// A small scanner over text that JSON.parse already accepted: tracks the member names of every
// object on a stack and refuses the second occurrence of one; with ijson, also checks every string
// and number token and the depth.
function scanJson(text, ijson) {
  const stack = [];
  let i = 0;
  let expectKey = false;
  while (i < text.length) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      const top = stack[stack.length - 1];
      const key = Boolean(top && top.obj && expectKey);
      if (key || ijson) {
        const value = JSON.parse(text.slice(i, j + 1));
        if (ijson) checkUnicode(value, key ? `the member name ${shorten(value)}` : 'a string');
        if (key) {
          if (top.names.has(value)) fail(`duplicate member name ${shorten(value)}`);
          top.names.add(value);
          expectKey = false;
        }
      }
      i = j + 1;
      continue;
    }
    if (ijson && (c === '-' || (c >= '0' && c <= '9'))) {
      let j = i + 1;
      while (j < text.length && /[0-9eE.+-]/.test(text[j])) j++;
      checkNumber(text.slice(i, j));
      i = j;
      continue;
    }
    if (c === '{' || c === '[') {
      stack.push(c === '{' ? { obj: true, names: new Set() } : { obj: false });
      if (ijson && stack.length > MAX_JSON_DEPTH) fail(`the JSON is nested deeper than ${MAX_JSON_DEPTH} levels`);
      expectKey = c === '{';
    } else if (c === '}' || c === ']') {
      stack.pop();
    } else if (c === ',') {
      const top = stack[stack.length - 1];
      expectKey = Boolean(top && top.obj);
    }
    i++;
  }
}

// ---------------------------------------------------------------------------------------------
// Log entries (docs/log-format.md)

const ENTRY_TYPES = new Set(['log.genesis', 'change.requested', 'change.decided', 'change.withdrawn',
  'change.reported', 'change.expired', 'change.superseded', 'policy.activated', 'statement.refused']);
const WITH_STATEMENT = new Set(['change.requested', 'change.decided', 'change.withdrawn', 'change.reported',
  'statement.refused']);
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/;

/**
 * Decodes one entry's exact bytes (strict UTF-8, strict JSON) and checks its shape: members
 * seq, time, prev, type, [statement], facts in that order, no other.
 */
export function decodeEntry(bytes) {
  let text;
  try {
    text = utf8Strict.decode(bytes);
  } catch (e) {
    fail('the entry is not valid UTF-8');
  }
  if (/[\r\n]/.test(text)) fail('the entry contains a newline');
  let e;
  try {
    e = parseJsonStrict(text);
  } catch (err) {
    fail(`the entry is not valid JSON: ${err.message}`);
  }
  if (e === null || typeof e !== 'object' || Array.isArray(e)) fail('the entry is not a JSON object');
  const keys = Object.keys(e);
  const want = WITH_STATEMENT.has(e.type) ? ['seq', 'time', 'prev', 'type', 'statement', 'facts']
    : ['seq', 'time', 'prev', 'type', 'facts'];
  if (keys.join(',') !== want.join(',')) fail(`the entry's members are ${keys.join(', ')}, expected ${want.join(', ')}`);
  if (!Number.isSafeInteger(e.seq) || e.seq < 0) fail('seq is not a non-negative integer');
  if (typeof e.time !== 'string' || !TIME.test(e.time) || Number.isNaN(Date.parse(e.time))) {
    fail(`time ${shorten(e.time)} is not yyyy-MM-ddTHH:mm:ss.SSSZ`);
  }
  const prev = b64decode(e.prev, 'prev');
  if (prev.length !== 32) fail('prev is not a 32-byte hash');
  if (!ENTRY_TYPES.has(e.type)) fail(`unknown entry type ${shorten(e.type)}`);
  if (WITH_STATEMENT.has(e.type) && typeof e.statement !== 'string') fail('the statement is not a string');
  if (e.facts === null || typeof e.facts !== 'object' || Array.isArray(e.facts)) fail('facts is not an object');
  return { seq: e.seq, time: e.time, prev, prevB64: e.prev, type: e.type, statement: e.statement ?? null, facts: e.facts };
}

/**
 * Checks the hash chain from `previous` ({seq, time, leafHash}, or null before entry 0) to
 * `entry` (decoded): consecutive seq, prev = the previous leaf hash, time never decreasing.
 */
export function checkChainLink(previous, entry) {
  if (previous === null) {
    if (entry.seq !== 0) fail(`the first entry has seq ${entry.seq}, expected 0`);
    if (!equalBytes(entry.prev, new Uint8Array(32))) fail('prev of entry 0 is not 32 zero bytes');
    return;
  }
  if (entry.seq !== previous.seq + 1) fail(`seq is ${entry.seq}, expected ${previous.seq + 1}`);
  if (!equalBytes(entry.prev, previous.leafHash)) {
    fail(`prev does not match entry ${previous.seq}'s leaf hash: prev ${b64encode(entry.prev)}, leaf hash ${b64encode(previous.leafHash)}`);
  }
  if (entry.time < previous.time) fail(`time ${entry.time} is before entry ${previous.seq}'s time ${previous.time}`);
}

// ---------------------------------------------------------------------------------------------
// Statements (compact JWS, alg EdDSA; docs/statements.md)

/** Decodes a compact JWS without verifying it: header, payload, signing input and signature. */
export function decodeJws(compact) {
  if (typeof compact !== 'string') fail('a statement must be text');
  const parts = compact.split('.');
  if (parts.length !== 3 || parts.some((p) => p === '')) fail('a statement has three non-empty parts');
  const dec = (p, what) => {
    try {
      return parseIJson(utf8Strict.decode(b64urlDecode(p, what)));
    } catch (e) {
      fail(`the statement's ${what} is not a JSON object: ${e.message}`);
    }
  };
  const header = dec(parts[0], 'header');
  const payload = dec(parts[1], 'payload');
  if (!header || typeof header !== 'object' || !payload || typeof payload !== 'object') fail('statement parts must be objects');
  const signature = b64urlDecode(parts[2], 'signature');
  return { header, payload, signingInput: bytesOf(parts[0] + '.' + parts[1]), signature };
}

const parsedKeys = new Map(); // verifier key text -> parsed key

/**
 * Verifies a statement's signature with the keys the policy lists for its issuer: alg EdDSA, kid
 * `<iss>+<key id>` naming one of those keys. Returns {header, payload, kid}.
 */
export async function verifyStatement(compact, policy) {
  const jws = decodeJws(compact);
  const { header, payload } = jws;
  if (header.alg !== 'EdDSA') fail(`the statement's alg is ${shorten(header.alg)}, not EdDSA`);
  if (typeof payload.iss !== 'string') fail('the statement has no issuer');
  const principal = policy && policy.principals && Object.prototype.hasOwnProperty.call(policy.principals, payload.iss)
    ? policy.principals[payload.iss] : null;
  if (!principal) fail(`the statement's issuer ${shorten(payload.iss)} is not a principal of the policy in force`);
  const kid = String(header.kid);
  let key = null;
  for (const text of principal.keys || []) {
    let k = parsedKeys.get(text);
    if (!k) {
      k = await parseVerifierKey(text);
      parsedKeys.set(text, k);
    }
    if (`${k.name}+${k.keyIdHex}` === kid && k.name === payload.iss) key = k;
  }
  if (!key) fail(`kid ${shorten(kid)} is not a key of ${payload.iss} in the policy in force`);
  if (!(await ed25519Verify(key.publicKey, jws.signature, jws.signingInput))) {
    fail(`the statement's signature by ${kid} does not verify`);
  }
  return { header, payload, kid };
}

// ---------------------------------------------------------------------------------------------
// Configuration hashes: SHA-256 over RFC 8785 (JCS)

/**
 * RFC 8785 canonical JSON of a parsed value (numbers as ECMAScript writes doubles, keys by UTF-16
 * order). Refuses what is not I-JSON, as the Java side does: a lone surrogate has no JCS form.
 */
export function jcs(value) {
  if (value === null || typeof value === 'boolean') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) fail('JCS cannot encode a non-finite number');
    return JSON.stringify(value);
  }
  if (typeof value === 'string') {
    checkUnicode(value);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return '[' + value.map(jcs).join(',') + ']';
  const keys = Object.keys(value).sort();
  for (const k of keys) checkUnicode(k, `the member name ${shorten(k)}`);
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + jcs(value[k])).join(',') + '}';
}

/** Hex SHA-256 of the configuration's JCS form (design: a configuration's hash). */
export async function configHash(config) {
  return sha256Hex(bytesOf(jcs(config)));
}

// ---------------------------------------------------------------------------------------------
// The whole check the page runs

/**
 * Verifies the entries [0, lines.length) of a log against a checkpoint already opened with the
 * log key (openCheckpoint):
 *  - each entry decodes (strict UTF-8 and JSON, exact member list);
 *  - its leaf hash SHA-256(0x00 || bytes) is included in the checkpoint's tree: the proof from
 *    getProof(seq, checkpoint.size) leads to the checkpoint's root (RFC 9162 2.1.3.2);
 *  - the hash chain: consecutive seq, prev = previous leaf hash, time never decreasing;
 *  - entry 0 is the genesis of this log (origin, log key) and every policy's hash is SHA-256 of
 *    its JCS form;
 *  - each statement's Ed25519 signature verifies with a key that the policy in force at that
 *    entry lists for its issuer;
 *  - when all entries of the checkpoint are loaded, the tree over their leaf hashes has the
 *    checkpoint's root.
 * Never throws for a failed check: returns {items, failures: [{seq, message}], complete, rootRecomputed}.
 *
 * @param lines     Uint8Array[], the exact bytes of entries 0, 1, ...
 * @param getProof  async (index, size) => list of base64 hashes
 */
export async function verifyLog({ checkpoint, logKeyText, lines, getProof, concurrency = 4, onProgress = () => {} }) {
  const failures = [];
  const items = [];
  const size = checkpoint.size;
  const note = (item, check, message) => {
    item.checks[check] = message;
    item.errors.push(message);
    failures.push({ seq: item.seq, check, message: `entry ${item.seq}: ${message}` });
  };
  if (lines.length > size) {
    failures.push({ seq: null, check: 'size', message: `the server sent ${lines.length} entries, but the checkpoint has only ${size}` });
  }
  // 1. Decode and hash.
  for (let i = 0; i < lines.length; i++) {
    const bytes = lines[i];
    const item = { seq: i, bytes, leafHash: await leafHash(bytes), entry: null, payload: null, kid: null,
      statementHash: null, checks: { entry: 'ok', inclusion: null, chain: null, statement: null }, errors: [] };
    items.push(item);
    try {
      item.entry = decodeEntry(bytes);
      if (item.entry.seq !== i) note(item, 'entry', `the entry at position ${i} has seq ${item.entry.seq}`);
    } catch (e) {
      note(item, 'entry', `not a valid entry: ${e.message}`);
    }
  }
  // 2. Chain and content, in order (the policy in force changes at policy.activated entries).
  let previous = null;
  let policy = null;
  for (const item of items) {
    const e = item.entry;
    if (!e) {
      previous = null;
      continue;
    }
    if (previous !== null || item.seq === 0) {
      try {
        checkChainLink(previous, e);
        item.checks.chain = 'ok';
      } catch (err) {
        note(item, 'chain', err.message);
      }
    } else {
      note(item, 'chain', 'the chain cannot be checked: the previous entry is not valid');
    }
    previous = { seq: e.seq, time: e.time, leafHash: item.leafHash };
    try {
      if (item.seq === 0) {
        if (e.type !== 'log.genesis') fail(`entry 0 is ${e.type}, not log.genesis`);
        if (e.facts.origin !== checkpoint.origin) fail(`the genesis names origin ${shorten(e.facts.origin)}, the checkpoint ${shorten(checkpoint.origin)}`);
        if (logKeyText && e.facts.log_key !== logKeyText) fail(`the genesis names log key ${shorten(e.facts.log_key)}, not the key checked against`);
      } else if (e.type === 'log.genesis') {
        fail('a second log.genesis entry');
      }
      if (e.type === 'log.genesis' || e.type === 'policy.activated') {
        const h = await configHash(e.facts.policy);
        if (h !== e.facts.policy_sha256) fail(`policy_sha256 ${e.facts.policy_sha256} is not the hash of the policy it carries (${h})`);
      }
    } catch (err) {
      note(item, 'entry', err.message);
    }
    if (e.statement !== null) {
      try {
        item.statementHash = await sha256Hex(bytesOf(e.statement));
        const st = await verifyStatement(e.statement, policy);
        item.payload = st.payload;
        item.kid = st.kid;
        item.checks.statement = 'ok';
      } catch (err) {
        try {
          item.payload = decodeJws(e.statement).payload; // still shown, marked as not verified
        } catch (ignored) {
          // nothing to show
        }
        note(item, 'statement', `statement: ${err.message}`);
      }
    }
    if ((e.type === 'log.genesis' || e.type === 'policy.activated') && e.facts.policy && typeof e.facts.policy === 'object') {
      policy = e.facts.policy;
    }
  }
  // 3. Inclusion of every entry in the checkpoint's tree, a few proofs at a time.
  let done = 0;
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next++];
      if (item.seq >= size) {
        note(item, 'inclusion', `the entry is beyond the checkpoint's size ${size}`);
        continue;
      }
      let proof;
      try {
        proof = await getProof(item.seq, size);
      } catch (err) {
        note(item, 'inclusion', `cannot fetch its inclusion proof: ${err.message}`);
        continue;
      }
      try {
        await verifyInclusion(item.seq, size, item.leafHash, proof, checkpoint.root);
        item.checks.inclusion = 'ok';
        item.proofLength = proof.length;
      } catch (err) {
        note(item, 'inclusion', err.message);
      }
      done++;
      onProgress(done, items.length);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(concurrency, items.length)) }, worker));
  // 4. The whole tree, when the whole log is here.
  const complete = lines.length === size;
  let rootRecomputed = false;
  if (complete) {
    const root = await merkleRoot(items.map((it) => it.leafHash));
    rootRecomputed = equalBytes(root, checkpoint.root);
    if (!rootRecomputed) {
      failures.push({ seq: null, check: 'root', message: `the tree over all ${size} entries has root ${b64encode(root)}, not the checkpoint's ${checkpoint.rootB64}` });
    }
  }
  // Entry by entry; within one entry, what the tree says first (the bytes are not what was signed).
  const rank = { entry: 0, inclusion: 1, chain: 2, statement: 3 };
  failures.sort((a, b) => (a.seq ?? Infinity) - (b.seq ?? Infinity) || (rank[a.check] ?? 9) - (rank[b.check] ?? 9));
  return { items, failures, complete, rootRecomputed };
}
