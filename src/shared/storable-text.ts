/**
 * Text no store can hold: a NUL character (PostgreSQL text cannot contain one) and a lone UTF-16
 * surrogate (not encodable as UTF-8; the driver would silently store U+FFFD in its place).
 */

/** Why a string cannot be stored, or null when it can. */
export function unstorableText(text: string): string | null {
  if (text.includes('\u0000')) return 'must not contain a NUL character';
  // With the u flag a well-formed pair is one astral code point; only a lone surrogate is category Cs.
  if (LONE_SURROGATE.test(text)) return 'must not contain a lone UTF-16 surrogate (not valid Unicode)';
  return null;
}
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * The first unstorable string anywhere in a JSON value (keys included), with its path below
 * `path`. Iterative: a deeply nested JSON value must not exhaust the stack.
 */
export function unstorableTextIn(value: unknown, path: string): { path: string; reason: string } | null {
  const pending: [unknown, string][] = [[value, path]];
  while (pending.length > 0) {
    const [v, at] = pending.pop()!;
    if (typeof v === 'string') {
      const reason = unstorableText(v);
      if (reason) return { path: at, reason };
    } else if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) pending.push([v[i], `${at}[${i}]`]);
    } else if (v !== null && typeof v === 'object') {
      for (const [key, inner] of Object.entries(v as Record<string, unknown>)) {
        const reason = unstorableText(key);
        if (reason) return { path: at, reason };
        pending.push([inner, at ? `${at}.${key}` : key]);
      }
    }
  }
  return null;
}
