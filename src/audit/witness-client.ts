/**
 * The hub's side of witnessing: after each checkpoint is published, send it to the witness
 * (AUDIT_WITNESS_URL) with a consistency proof from the size the witness last accepted. When the
 * witness holds another size than expected (409) it says which, and the proof is remade from there.
 * A refusal (the witness judged the log rolled back or forked, or the signature not the log's) is
 * logged as an error and is final for this process: no later checkpoint counts as witnessed until
 * someone has looked. An unreachable witness is only a warning; the next checkpoint tries again.
 */
import type { Logger } from '../shared/logger';
import type { Hash } from './merkle';

export interface WitnessStatus {
  /** Size of the last checkpoint the witness accepted from this process, or null. */
  witnessedSize: number | null;
  /** Why the witness refused a checkpoint; once set, checkpoints are no longer witnessed. */
  refused: string | null;
}

export type ConsistencyProver = (fromSize: number, toSize: number) => Promise<Hash[] | null>;

export class WitnessPublisher {
  /** The size the witness is believed to hold (learnt from its 409 when wrong). */
  private witnessSize = 0;
  private readonly state: WitnessStatus = { witnessedSize: null, refused: null };

  constructor(
    private readonly url: string,
    private readonly logger: Logger,
    private readonly fetchImpl: typeof fetch = fetch,
  ) {}

  status(): WitnessStatus {
    return { ...this.state };
  }

  /** True when the witness accepted `note` (of `treeSize` entries). */
  async submit(note: string, treeSize: number, prove: ConsistencyProver): Promise<boolean> {
    if (this.state.refused) return false;
    for (let attempt = 0; attempt < 2; attempt++) {
      const from = this.witnessSize;
      if (from > treeSize)
        return this.refuse(
          `the witness holds a checkpoint of ${from} entries, more than this log's ${treeSize}: the log was rolled back`,
        );
      const proof = await prove(from, treeSize);
      if (!proof) return this.refuse(`no consistency proof from ${from} to ${treeSize} entries`);
      const body = `old ${from}\n${proof.map((h) => `${h.toString('base64')}\n`).join('')}\n${note}`;
      let res: Response;
      try {
        res = await this.fetchImpl(new URL('add-checkpoint', this.url.endsWith('/') ? this.url : `${this.url}/`), {
          method: 'POST',
          body,
          headers: { 'content-type': 'text/plain' },
          signal: AbortSignal.timeout(5000),
        });
      } catch (error) {
        this.logger.warn(
          { err: { name: (error as Error).name, message: (error as Error).message } },
          'audit witness unreachable; the checkpoint is not witnessed yet',
        );
        return false;
      }
      const text = await res.text();
      if (res.status === 200) {
        this.witnessSize = treeSize;
        this.state.witnessedSize = treeSize;
        return true;
      }
      if (res.status === 409 && /^\d{1,15}\n?$/.test(text)) {
        this.witnessSize = Number(text.trim());
        continue;
      }
      if (res.status >= 500) {
        this.logger.warn({ status: res.status }, 'audit witness failed; the checkpoint is not witnessed yet');
        return false;
      }
      return this.refuse(`the witness answered ${res.status}: ${text.trim().slice(0, 300)}`);
    }
    this.logger.warn({ treeSize }, 'audit witness size kept changing; the checkpoint is not witnessed yet');
    return false;
  }

  private refuse(reason: string): false {
    this.state.refused = reason;
    this.logger.error(
      { reason, witnessedSize: this.state.witnessedSize },
      'AUDIT WITNESS REFUSED A CHECKPOINT: the log may have been rolled back or forked; checkpoints are no longer witnessed',
    );
    return false;
  }
}
