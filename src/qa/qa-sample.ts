/**
 * Reproducible random sampling for the monthly case audit: each candidate EHA gets the SHA-256 of
 * `<seed>:<eha id>`, and the sample is the lowest hashes. The same seed and the same candidates
 * always draw the same cases, on any machine; anyone holding the seed can re-draw and check.
 */
import { createHash } from 'node:crypto';

export function sampleKey(seed: string, id: string): string {
  return createHash('sha256').update(`${seed}:${id}`).digest('hex');
}

export function drawSample(seed: string, candidateIds: readonly string[], size: number): string[] {
  return [...candidateIds]
    .map((id) => ({ id, key: sampleKey(seed, id) }))
    .sort((a, b) => a.key.localeCompare(b.key) || a.id.localeCompare(b.id))
    .slice(0, Math.max(0, size))
    .map((x) => x.id);
}

/** The default seed: the cluster and the month, so a month's sample needs no extra record to re-draw. */
export function defaultSeed(cluster: string, month: string): string {
  return `qa:${cluster}:${month}`;
}
