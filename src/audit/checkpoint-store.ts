/**
 * Where signed checkpoints are published, outside the database: a directory (a mounted volume,
 * a bucket synced from it, a witness that reads it). `checkpoint` is the latest; `checkpoints/<size>`
 * keeps each one, so a DPO or an auditor can hold any of them. A checkpoint smaller than the
 * latest is not published (another instance's checkpointer got further first): a log only grows.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface CheckpointStore {
  /** The latest published signed note, or null before the first. */
  latest(): string | null;
  /** False (and nothing written) when a larger checkpoint is already published. */
  publish(note: string, treeSize: number): boolean;
}

/** The size line of a checkpoint note (its signature is checked by whoever relies on it). */
function noteTreeSize(note: string): number {
  return Number(note.split('\n')[1]);
}

export function checkpointDirectory(dir: string): CheckpointStore {
  const latestFile = join(dir, 'checkpoint');
  return {
    latest: () => (existsSync(latestFile) ? readFileSync(latestFile, 'utf8') : null),
    publish(note, treeSize) {
      mkdirSync(join(dir, 'checkpoints'), { recursive: true });
      const current = existsSync(latestFile) ? noteTreeSize(readFileSync(latestFile, 'utf8')) : -1;
      if (treeSize < current) return false;
      writeFileSync(join(dir, 'checkpoints', String(treeSize)), note);
      // Write then rename: a reader never sees half a checkpoint.
      const temp = `${latestFile}.${process.pid}.tmp`;
      writeFileSync(temp, note);
      renameSync(temp, latestFile);
      return true;
    },
  };
}

/** In memory (tests, and a hub started without a checkpoint directory in development). */
export function memoryCheckpointStore(): CheckpointStore & { all: string[] } {
  const all: string[] = [];
  return {
    all,
    latest: () => all.at(-1) ?? null,
    publish(note, treeSize) {
      const current = all.length ? noteTreeSize(all.at(-1)!) : -1;
      if (treeSize < current) return false;
      all.push(note);
      return true;
    },
  };
}

/**
 * The configured store: AUDIT_CHECKPOINT_DIR (required in production); elsewhere a directory
 * beside the PGlite data, or memory when the database itself lives in memory or on a server
 * (checkpoints of a database that is gone would only show it as truncated).
 */
export function checkpointStoreFromConfig(config: {
  AUDIT_CHECKPOINT_DIR?: string;
  NODE_ENV: string;
  DATABASE_URL?: string;
  PGLITE_DATA_DIR: string;
}): CheckpointStore {
  if (config.AUDIT_CHECKPOINT_DIR) return checkpointDirectory(config.AUDIT_CHECKPOINT_DIR);
  if (config.NODE_ENV === 'production') throw new Error('AUDIT_CHECKPOINT_DIR is required in production');
  if (config.DATABASE_URL || config.PGLITE_DATA_DIR.startsWith('memory://')) return memoryCheckpointStore();
  return checkpointDirectory(`${config.PGLITE_DATA_DIR.replace(/\/+$/, '')}-audit-checkpoints`);
}
