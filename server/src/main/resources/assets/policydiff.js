// foureyes transparency page: what a policy change does to the rules configurations are judged by,
// computed in the browser from the two policy documents in the log. Same rules and texts as the
// Java ContentDiff/SchemaDiff (audit-log), kept equal by shared golden data
// (audit-log/src/test/resources/policydiff/content-golden.json). No DOM access.
//
// A positional JSON diff shows a removed guard as a renamed one; this names every guard added,
// removed or changed and every schema keyword that changed, and says whether it widens.

import { jcs } from './verify.js';
import { durationMs } from './history.js';

export const WIDENS = 'widens';
export const MAY_WIDEN = 'may widen';
export const NARROWS = 'narrows';
export const NEUTRAL = 'neutral';

/** Whether an approver must treat a verdict as widening. */
export function alarming(verdict) {
  return verdict === WIDENS || verdict === MAY_WIDEN;
}

/** `[widens] monitor: guard coarse-time-buckets removed (...)` */
export function line(change) {
  return `[${change.verdict}] ${change.scope}: ${change.what}`;
}

const ANNOTATIONS = new Set(['description', 'title', '$comment', 'examples', 'default', 'deprecated', 'readOnly', 'writeOnly']);
const LOWER = new Set(['minimum', 'exclusiveMinimum', 'minLength', 'minItems', 'minProperties', 'minContains']);
const UPPER = new Set(['maximum', 'exclusiveMaximum', 'maxLength', 'maxItems', 'maxProperties', 'maxContains']);

const has = (o, k) => o !== null && typeof o === 'object' && Object.prototype.hasOwnProperty.call(o, k);
const get = (o, k) => (has(o, k) ? o[k] : undefined);
const isObject = (v) => v !== null && typeof v === 'object' && !Array.isArray(v);
const same = (a, b) => a !== undefined && b !== undefined && jcs(a) === jcs(b);
const keysOf = (...objs) => [...new Set(objs.flatMap((o) => (isObject(o) ? Object.keys(o) : [])))].sort();
const isNum = (v) => typeof v === 'number';

/** The content changes from `oldDoc` to `newDoc` (policy documents): [{scope, what, verdict}]. */
export function contentDiff(oldDoc, newDoc) {
  const out = [];
  const oc = get(oldDoc, 'components') || {};
  const nc = get(newDoc, 'components') || {};
  for (const name of keysOf(oc, nc)) {
    if (!has(oc, name) || !has(nc, name)) continue; // components added or removed are listed elsewhere
    const a = oc[name];
    const b = nc[name];
    guards(out, name, get(a, 'guards') || [], get(b, 'guards') || []);
    out.push(...schemaDiff(name, get(a, 'schema'), get(b, 'schema')));
    emergency(out, name, get(a, 'emergency'), get(b, 'emergency'));
  }
  for (const field of ['pending_ttl', 'apply_ttl']) {
    duration(out, 'timing', field, get(get(oldDoc, 'timing'), field), get(get(newDoc, 'timing'), field));
  }
  return out;
}

function guards(out, c, a, b) {
  const before = new Map(a.map((g) => [String(g.name), g]));
  const after = new Map(b.map((g) => [String(g.name), g]));
  for (const [name, g] of before) {
    const n = after.get(name);
    if (!n) out.push({ scope: c, what: `guard ${name} removed (it required: ${g.expr})`, verdict: WIDENS });
    else if (n.expr !== g.expr) out.push({ scope: c, what: `guard ${name} changed: ${g.expr} -> ${n.expr}, treat as widening`, verdict: WIDENS });
    else if (n.message !== g.message) out.push({ scope: c, what: `guard ${name} message changed`, verdict: NEUTRAL });
  }
  for (const [name, g] of after) {
    if (!before.has(name)) out.push({ scope: c, what: `guard ${name} added (requires: ${g.expr})`, verdict: NARROWS });
  }
}

function emergency(out, c, a, b) {
  if ((a === undefined && b === undefined) || same(a, b)) return;
  const add = (what, verdict) => out.push({ scope: c, what, verdict });
  if (a === undefined) {
    add(`emergency rule added: ${jcs(get(b, 'set') ?? null)} may now be set with approvals ${jcs(get(b, 'approvals') ?? null)}`, WIDENS);
    return;
  }
  if (b === undefined) {
    add('emergency rule removed', NARROWS);
    return;
  }
  const sa = get(a, 'set') || {};
  const sb = get(b, 'set') || {};
  for (const f of keysOf(sa, sb)) {
    if (!has(sa, f)) add(`emergency may now set ${f} to ${jcs(sb[f])}`, WIDENS);
    else if (!has(sb, f)) add(`emergency may no longer set ${f}`, NARROWS);
    else if (!same(sa[f], sb[f])) add(`emergency sets ${f} to ${jcs(sb[f])} instead of ${jcs(sa[f])}`, WIDENS);
  }
  const pa = get(a, 'approvals');
  const pb = get(b, 'approvals');
  if (!(pa === undefined && pb === undefined) && !same(pa, pb)) {
    add(`emergency approvals ${jcs(pa ?? null)} -> ${jcs(pb ?? null)}, treat as widening`, WIDENS);
  }
  duration(out, c, 'emergency review_within', get(a, 'review_within'), get(b, 'review_within'));
  for (const k of keysOf(a, b).filter((k) => !['set', 'approvals', 'review_within'].includes(k))) {
    if (!has(a, k) || !same(a[k], get(b, k))) add(`emergency ${k} changed, treat as widening`, WIDENS);
  }
}

/** A time limit: longer widens (an approval or emergency stays good for longer). */
function duration(out, scope, field, x, y) {
  if ((x === undefined && y === undefined) || same(x, y)) return;
  const text = (v) => (v === undefined ? '(absent)' : typeof v === 'string' ? v : jcs(v));
  const millis = (v) => (typeof v === 'string' && v !== 'P' && !v.endsWith('T') ? durationMs(v) : null);
  const a = millis(x);
  const b = millis(y);
  const what = `${field} ${text(x)} -> ${text(y)}`;
  if (a === null || b === null) out.push({ scope, what: `${what}, treat as widening`, verdict: WIDENS });
  else if (a === b) out.push({ scope, what: `${what} (same length)`, verdict: NEUTRAL });
  else out.push({ scope, what: `${what} (${b > a ? 'longer' : 'shorter'})`, verdict: b > a ? WIDENS : NARROWS });
}

/** The structural diff of two JSON Schemas of one component (either may be undefined: no schema). */
export function schemaDiff(scope, oldSchema, newSchema) {
  const out = [];
  const hadOld = oldSchema !== undefined && oldSchema !== null;
  const hasNew = newSchema !== undefined && newSchema !== null;
  if (hadOld && !hasNew) out.push({ scope, what: 'schema removed: any configuration is accepted', verdict: WIDENS });
  else if (!hadOld && hasNew) out.push({ scope, what: 'schema added', verdict: NARROWS });
  else if (hadOld) walk(out, scope, '', oldSchema, newSchema);
  return out;
}

function walk(out, scope, path, a, b) {
  if (same(a, b)) return;
  const add = (text, verdict) => out.push({ scope, what: `schema ${path === '' ? '(configuration)' : path}: ${text}`, verdict });
  if (!isObject(a) || !isObject(b)) {
    // Boolean schemas: false accepts nothing, so only a change to false is a sure narrowing.
    const toFalse = b === false;
    add(`schema ${jcs(a)} -> ${jcs(b)}${toFalse ? '' : ', treat as widening'}`, toFalse ? NARROWS : WIDENS);
    return;
  }
  for (const k of keysOf(a, b)) {
    const x = get(a, k);
    const y = get(b, k);
    if (same(x, y)) continue;
    keyword(out, scope, path, add, k, x, y, a, b);
  }
}

function keyword(out, scope, path, add, k, x, y, a, b) {
  if (ANNOTATIONS.has(k)) add(`${k} changed`, NEUTRAL);
  else if (k === 'enum') enumDiff(add, x, y);
  else if (k === 'type') typeDiff(add, x, y);
  else if (LOWER.has(k) || UPPER.has(k)) bound(add, k, x, y, LOWER.has(k));
  else if (k === 'pattern' || k === 'format') {
    if (x === undefined) add(`${k} ${jcs(y)} added`, NARROWS);
    else if (y === undefined) add(`${k} ${jcs(x)} removed`, WIDENS);
    else add(`${k} ${jcs(x)} -> ${jcs(y)} (cannot prove it narrows)`, MAY_WIDEN);
  } else if (k === 'required') requiredDiff(add, x, y);
  else if (k === 'additionalProperties') additional(out, scope, path, add, x, y);
  else if (k === 'properties') properties(out, scope, path, add, x, y, a, b);
  else if (k === 'items' && (x === undefined || y === undefined)) {
    add(`items ${x === undefined ? 'schema added' : 'schema removed: any element is accepted'}`, x === undefined ? NARROWS : WIDENS);
  } else if (k === 'items' && isObject(x) && isObject(y)) walk(out, scope, `${path}[]`, x, y);
  else if (k === 'uniqueItems') {
    const was = x === true;
    const is = y === true;
    add(`uniqueItems ${was} -> ${is}`, was === is ? NEUTRAL : was ? WIDENS : NARROWS);
  } else if (k === 'multipleOf') multipleOf(add, x, y);
  else if (k === 'const') {
    if (x === undefined) add(`const ${jcs(y)} added`, NARROWS);
    else add(`const ${jcs(x)} -> ${y === undefined ? '(absent)' : jcs(y)}`, WIDENS);
  } else add(`keyword ${k} changed, treat as widening`, WIDENS);
}

function texts(v) {
  return Array.isArray(v) ? v.map(jcs) : [jcs(v)];
}

function enumDiff(add, x, y) {
  if (x === undefined) return add(`enum ${jcs(y)} added`, NARROWS);
  if (y === undefined) return add(`enum ${jcs(x)} removed: any value of the type is accepted`, WIDENS);
  const before = texts(x);
  const after = texts(y);
  after.filter((v) => !before.includes(v)).forEach((v) => add(`enum value ${v} added`, WIDENS));
  before.filter((v) => !after.includes(v)).forEach((v) => add(`enum value ${v} removed`, NARROWS));
  if (before.length === after.length && after.every((v) => before.includes(v))) add('enum reordered', NEUTRAL);
}

function typeDiff(add, x, y) {
  if (x === undefined) return add(`type ${jcs(y)} added`, NARROWS);
  if (y === undefined) return add(`type ${jcs(x)} removed: any type is accepted`, WIDENS);
  const set = (t) => new Set((Array.isArray(t) ? t : [t]).map(String));
  const before = set(x);
  const after = set(y);
  // Every type of the new schema is accepted by the old one (an integer is a number).
  const within = [...after].every((t) => before.has(t) || (t === 'integer' && before.has('number')));
  add(`type ${jcs(x)} -> ${jcs(y)}`, within ? NARROWS : WIDENS);
}

function bound(add, k, x, y, lower) {
  if (x === undefined) return add(`${k} ${jcs(y)} added`, NARROWS);
  if (y === undefined) return add(`${k} ${jcs(x)} removed`, WIDENS);
  if (!isNum(x) || !isNum(y)) return add(`${k} ${jcs(x)} -> ${jcs(y)}, treat as widening`, WIDENS);
  const relaxed = lower ? y < x : y > x;
  add(`${k} ${jcs(x)} -> ${jcs(y)} (${relaxed ? 'relaxed' : 'tightened'})`, relaxed ? WIDENS : NARROWS);
}

function multipleOf(add, x, y) {
  if (x === undefined) return add(`multipleOf ${jcs(y)} added`, NARROWS);
  if (y === undefined) return add(`multipleOf ${jcs(x)} removed`, WIDENS);
  // The old step a multiple of the new: every old value is still accepted, and more.
  if (isNum(x) && isNum(y) && y > 0 && x % y === 0) return add(`multipleOf ${jcs(x)} -> ${jcs(y)}`, WIDENS);
  if (isNum(x) && isNum(y) && x > 0 && y % x === 0) return add(`multipleOf ${jcs(x)} -> ${jcs(y)}`, NARROWS);
  add(`multipleOf ${jcs(x)} -> ${jcs(y)}, treat as widening`, WIDENS);
}

function requiredDiff(add, x, y) {
  const before = x === undefined ? [] : texts(x);
  const after = y === undefined ? [] : texts(y);
  before.filter((v) => !after.includes(v)).forEach((v) => add(`required field ${v} dropped`, WIDENS));
  after.filter((v) => !before.includes(v)).forEach((v) => add(`field ${v} now required`, NARROWS));
  if (before.length === after.length && after.every((v) => before.includes(v))) add('required reordered', NEUTRAL);
}

function additional(out, scope, path, add, x, y) {
  const wasClosed = x === false;
  const isClosed = y === false;
  const before = x === undefined ? '(absent)' : jcs(x);
  const after = y === undefined ? '(absent)' : jcs(y);
  const wasOpen = x === undefined || x === true;
  const isOpen = y === undefined || y === true;
  if (wasOpen && isOpen) add(`additionalProperties ${before} -> ${after} (both accept any member)`, NEUTRAL);
  else if (wasClosed) add(`additionalProperties opened (${before} -> ${after})`, WIDENS);
  else if (isClosed) add(`additionalProperties closed (${before} -> ${after})`, NARROWS);
  else if (isObject(x) && isObject(y)) walk(out, scope, `${path}.*`, x, y);
  else if (y === undefined || typeof y === 'boolean') add(`additionalProperties ${before} -> ${after}`, WIDENS);
  else add(`additionalProperties ${before} -> ${after}`, NARROWS);
}

function properties(out, scope, path, add, x, y, a, b) {
  const px = isObject(x) ? x : {};
  const py = isObject(y) ? y : {};
  const oldClosed = get(a, 'additionalProperties') === false;
  const newClosed = get(b, 'additionalProperties') === false;
  for (const n of keysOf(px, py)) {
    if (has(px, n) && has(py, n)) walk(out, scope, member(path, n), px[n], py[n]);
    else if (!has(px, n)) {
      add(`property ${jcs(n)} added${oldClosed ? ' where additionalProperties was false' : ''}`, oldClosed ? WIDENS : NARROWS);
    } else {
      add(`property ${jcs(n)} removed${newClosed ? '' : ': its value is no longer checked'}`, newClosed ? NARROWS : WIDENS);
    }
  }
}

/** record.fields, ["odd key"]: the configuration path diff.js uses too. */
function member(path, name) {
  if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(name)) return path === '' ? name : `${path}.${name}`;
  return `${path}[${jcs(name)}]`;
}

/**
 * What the page shows for a change to the policy: the lines that widen (or may widen) first, then
 * the rest. `previous` is the policy in force the request replaces.
 */
export function policyChangeView(previous, proposed) {
  const changes = contentDiff(previous, proposed);
  return {
    widens: changes.filter((c) => alarming(c.verdict)).map(line),
    other: changes.filter((c) => !alarming(c.verdict)).map(line),
  };
}
