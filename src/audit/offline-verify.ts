/**
 * Checks an export of the audit log against signed checkpoints, with nothing but the export, the
 * checkpoints and the log's verifier key: no database, no hub code that writes. For each
 * checkpoint, the export's first treeSize entries, re-hashed (RFC 9162), must give its root. So
 * a removed, edited, swapped or inserted entry, or a truncated tail, fails every checkpoint
 * published after the entry was logged; and two checkpoints that both verify against one export
 * are consistent with each other.
 */
import { canonicalJson } from '../shared/canonical-json';
import { CheckpointError, openCheckpoint, type Checkpoint } from './checkpoint';
import { CompactRange, leafHash } from './merkle';

export interface OfflineReport {
  ok: boolean;
  entries: number;
  checkpoints: { treeSize: number; time: string; ok: boolean; reason: string | null }[];
  /** Why the export itself is malformed, if it is. */
  reason: string | null;
}

export function verifyExport(exportText: string, notes: string[], verifierKey: string): OfflineReport {
  const checkpoints: Checkpoint[] = [];
  const results: OfflineReport['checkpoints'] = [];
  for (const note of notes) {
    try {
      checkpoints.push(openCheckpoint(note, verifierKey));
    } catch (error) {
      if (!(error instanceof CheckpointError)) throw error;
      results.push({ treeSize: -1, time: '', ok: false, reason: `checkpoint refused: ${error.message}` });
    }
  }
  const bySize = new Map<number, Checkpoint[]>();
  for (const c of checkpoints) bySize.set(c.treeSize, [...(bySize.get(c.treeSize) ?? []), c]);
  const check = (range: CompactRange) => {
    for (const c of bySize.get(range.size) ?? []) {
      const ok = range.root().equals(c.rootHash);
      results.push({
        treeSize: c.treeSize,
        time: c.time.toISOString(),
        ok,
        reason: ok
          ? null
          : "the export's entries do not give this checkpoint's root: entries were changed, removed, reordered or inserted",
      });
    }
    bySize.delete(range.size);
  };

  const range = new CompactRange();
  const seqs = new Set<number>();
  let malformed: string | null = null;
  check(range);
  for (const [n, line] of exportText.split('\n').entries()) {
    if (line.trim() === '') continue;
    let parsed: { leafIndex?: unknown; entry?: { seq?: unknown } | null };
    try {
      parsed = JSON.parse(line);
    } catch {
      malformed = `line ${n + 1} is not JSON`;
      break;
    }
    if (parsed.leafIndex !== range.size) {
      malformed = `line ${n + 1}: expected entry ${range.size}, found ${String(parsed.leafIndex)}`;
      break;
    }
    if (!parsed.entry || typeof parsed.entry.seq !== 'number') {
      malformed = `entry ${range.size} has no row: it was deleted`;
      break;
    }
    if (seqs.has(parsed.entry.seq)) {
      malformed = `entry ${range.size} repeats row ${parsed.entry.seq}`;
      break;
    }
    seqs.add(parsed.entry.seq);
    range.append(leafHash(canonicalJson(parsed.entry)));
    check(range);
  }
  for (const [size] of bySize) {
    results.push({
      treeSize: size,
      time: '',
      ok: false,
      reason: `the export stops at ${range.size} entries, before this checkpoint's ${size}: entries were removed`,
    });
  }
  results.sort((a, b) => a.treeSize - b.treeSize);
  const ok = malformed === null && results.length > 0 && results.every((r) => r.ok);
  return { ok, entries: range.size, checkpoints: results, reason: malformed };
}
