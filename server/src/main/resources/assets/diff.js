// foureyes transparency page: JSON diff between two configurations, computed in the browser
// (design: approvers and visitors compute the diff themselves, never trusting one from the host).
// No DOM access.

/**
 * The differences from `before` to `after` as a list of {path, kind, before, after}, where kind is
 * 'added', 'removed' or 'changed'. Objects are compared member by member, arrays element by
 * element (index by index); anything else by value. `before` may be null (no configuration yet).
 */
export function jsonDiff(before, after) {
  const out = [];
  walk([], before === undefined ? null : before, after, out, before === null || before === undefined);
  return out;
}

function isObject(v) {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function walk(path, a, b, out, rootWasEmpty) {
  if (rootWasEmpty && path.length === 0) {
    if (isObject(b)) {
      for (const k of Object.keys(b)) out.push({ path: formatPath([k]), kind: 'added', before: undefined, after: b[k] });
    } else {
      out.push({ path: '(whole configuration)', kind: 'added', before: undefined, after: b });
    }
    return;
  }
  if (isObject(a) && isObject(b)) {
    const keys = [...Object.keys(a), ...Object.keys(b).filter((k) => !Object.prototype.hasOwnProperty.call(a, k))];
    for (const k of keys) {
      const inA = Object.prototype.hasOwnProperty.call(a, k);
      const inB = Object.prototype.hasOwnProperty.call(b, k);
      const p = [...path, k];
      if (inA && !inB) out.push({ path: formatPath(p), kind: 'removed', before: a[k], after: undefined });
      else if (!inA && inB) out.push({ path: formatPath(p), kind: 'added', before: undefined, after: b[k] });
      else walk(p, a[k], b[k], out, false);
    }
    return;
  }
  if (Array.isArray(a) && Array.isArray(b)) {
    diffArrays(path, a, b, out);
    return;
  }
  if (!sameValue(a, b)) out.push({ path: formatPath(path), kind: 'changed', before: a, after: b });
}

/**
 * Arrays by their longest common subsequence, so an inserted element reads as one insertion rather
 * than as every later element changed. A removal followed by an insertion at the same place is a
 * change (of a value, or inside an object, which is then compared member by member). Paths name
 * indexes in the new array for insertions and changes, in the old array for removals.
 */
function diffArrays(path, a, b, out) {
  const ka = a.map((x) => JSON.stringify(x));
  const kb = b.map((x) => JSON.stringify(x));
  const n = a.length;
  const m = b.length;
  const lcs = Array.from({ length: n + 1 }, () => new Array(m + 1).fill(0));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      lcs[i][j] = ka[i] === kb[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
    }
  }
  let i = 0;
  let j = 0;
  while (i < n || j < m) {
    if (i < n && j < m && ka[i] === kb[j]) {
      i++;
      j++;
    } else if (i < n && j < m && lcs[i + 1][j] === lcs[i][j + 1] && lcs[i + 1][j + 1] === lcs[i][j]) {
      // Neither side is part of the common subsequence here: a change in place.
      walk([...path, j], a[i], b[j], out, false);
      i++;
      j++;
    } else if (j < m && (i >= n || lcs[i][j + 1] >= lcs[i + 1][j])) {
      out.push({ path: formatPath([...path, j]), kind: 'added', before: undefined, after: b[j] });
      j++;
    } else {
      out.push({ path: formatPath([...path, i]), kind: 'removed', before: a[i], after: undefined });
      i++;
    }
  }
}

function sameValue(a, b) {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  return JSON.stringify(a) === JSON.stringify(b);
}

/** capture.enabled, exit_policy[2], ["odd.key"] */
export function formatPath(parts) {
  if (parts.length === 0) return '(whole configuration)';
  let s = '';
  for (const p of parts) {
    if (typeof p === 'number') s += `[${p}]`;
    else if (/^[A-Za-z_][A-Za-z0-9_-]*$/.test(p)) s += (s === '' ? '' : '.') + p;
    else s += `[${JSON.stringify(p)}]`;
  }
  return s;
}
