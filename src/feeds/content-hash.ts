/**
 * A canonical content hash for idempotent submissions: keys sorted at every depth, undefined
 * dropped, so the same payload re-sent in another key order hashes the same.
 */
import { createHash } from 'node:crypto';
import { canonicalJson } from '../shared/canonical-json';

export function contentHash(value: unknown): string {
  return createHash('sha256').update(canonicalJson(value)).digest('hex');
}
