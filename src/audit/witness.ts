/**
 * A witness of the audit log: a separate party that keeps the last checkpoint it accepted and
 * accepts a new one only with a consistency proof from it that it checks itself (RFC 9162) and
 * only when signed by the log's verifier key. A log that shows it a rolled-back or forked history
 * — even a correctly signed one — is refused, and the refused checkpoint is kept as evidence:
 * two signed checkpoints that are not consistent prove the log misbehaved.
 *
 * The request is the C2SP tlog-witness `add-checkpoint` body:
 *
 *     old <size the client believes the witness holds>\n
 *     <base64 consistency proof hash>\n …
 *     \n
 *     <signed checkpoint note>
 *
 * Answers as that protocol does: 200 accepted; 409 (body: the size it holds) when `old` is not
 * its size; 422 when the proof does not verify; 403 when the signature or origin is not the log's;
 * 400 when malformed. This witness records but does not cosign.
 */
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { CheckpointError, openCheckpoint, type Checkpoint } from './checkpoint';
import { verifyConsistencyProof } from './merkle';

export interface WitnessAnswer {
  status: 200 | 400 | 403 | 409 | 422;
  body: string;
}

export class Witness {
  private last: { checkpoint: Checkpoint; note: string } | null = null;

  constructor(
    private readonly dir: string,
    private readonly verifierKey: string,
  ) {
    mkdirSync(join(dir, 'checkpoints'), { recursive: true });
    mkdirSync(join(dir, 'refused'), { recursive: true });
    const file = join(dir, 'checkpoint');
    if (existsSync(file)) {
      const note = readFileSync(file, 'utf8');
      // What this witness wrote itself; a file that no longer verifies means its own store was tampered with.
      this.last = { checkpoint: openCheckpoint(note, verifierKey), note };
    }
  }

  /** The last accepted signed checkpoint, or null before the first. */
  latest(): string | null {
    return this.last?.note ?? null;
  }

  get treeSize(): number {
    return this.last?.checkpoint.treeSize ?? 0;
  }

  addCheckpoint(request: string): WitnessAnswer {
    const split = request.indexOf('\n\n');
    if (split < 0) return { status: 400, body: 'expected the old size and proof, a blank line, then the checkpoint\n' };
    const [oldLine, ...proofLines] = request.slice(0, split).split('\n');
    const old = /^old (\d{1,15})$/.exec(oldLine ?? '');
    if (!old) return { status: 400, body: 'the first line must be "old <size>"\n' };
    if (proofLines.length > 64 || !proofLines.every((l) => /^[A-Za-z0-9+/]{43}=$/.test(l)))
      return { status: 400, body: 'malformed consistency proof\n' };
    const note = request.slice(split + 2);
    let checkpoint: Checkpoint;
    try {
      checkpoint = openCheckpoint(note, this.verifierKey);
    } catch (error) {
      if (!(error instanceof CheckpointError)) throw error;
      return { status: 403, body: `checkpoint refused: ${error.message}\n` };
    }
    const oldSize = Number(old[1]);
    if (oldSize !== this.treeSize) return { status: 409, body: `${this.treeSize}\n` };
    if (checkpoint.treeSize < oldSize) {
      this.keepRefused(note, 'smaller than the checkpoint already witnessed: the log was rolled back');
      return {
        status: 422,
        body: `the checkpoint (${checkpoint.treeSize} entries) is smaller than the one witnessed (${oldSize}): the log was rolled back\n`,
      };
    }
    const proof = proofLines.map((l) => Buffer.from(l, 'base64'));
    const consistent =
      this.last === null
        ? proof.length === 0
        : verifyConsistencyProof(
            oldSize,
            checkpoint.treeSize,
            this.last.checkpoint.rootHash,
            checkpoint.rootHash,
            proof,
          );
    if (!consistent) {
      this.keepRefused(note, `not consistent with the witnessed checkpoint of ${oldSize} entries`);
      return {
        status: 422,
        body: `the checkpoint is not consistent with the witnessed checkpoint of ${oldSize} entries: the log forked or rewrote entries\n`,
      };
    }
    if (this.last && checkpoint.treeSize === oldSize) return { status: 200, body: '' };
    writeFileSync(join(this.dir, 'checkpoints', String(checkpoint.treeSize)), note);
    // Write then rename: a restart never finds half a checkpoint.
    const temp = join(this.dir, `checkpoint.${process.pid}.tmp`);
    writeFileSync(temp, note);
    renameSync(temp, join(this.dir, 'checkpoint'));
    this.last = { checkpoint, note };
    return { status: 200, body: '' };
  }

  /** A signed checkpoint the log should never have signed: evidence, kept beside the witnessed ones. */
  private keepRefused(note: string, reason: string): void {
    const name = `${Date.now()}-${process.hrtime.bigint()}`;
    writeFileSync(join(this.dir, 'refused', name), `${reason}\n\n${note}`);
  }
}
