/**
 * The audit log's proofs for the DPO: the latest published checkpoint, an inclusion proof for any
 * row, a consistency proof between two tree sizes. Checked against a checkpoint held outside the
 * hub, they show the hub cannot have shown two different histories.
 */
import type { AccessDecider } from '../access/access-decider';
import { BadUserInputError, NotFoundError } from '../errors';
import type { AuditLog, SignedCheckpoint } from './audit-log.service';
import { requireDpo } from './dpo.service';

export interface InclusionProofView {
  seq: number;
  leafIndex: number;
  treeSize: number;
  leafHash: string;
  hashes: string[];
}
export interface ConsistencyProofView {
  fromSize: number;
  toSize: number;
  hashes: string[];
}

const b64 = (h: Buffer) => h.toString('base64');

export class AuditProofService {
  constructor(private readonly log: AuditLog) {}

  checkpoint(access: AccessDecider): { checkpoint: SignedCheckpoint | null; verifierKey: string } {
    requireDpo(access, null);
    return { checkpoint: this.log.latestPublished(), verifierKey: this.log.verifierKey };
  }

  async inclusion(seq: string, treeSize: number | null, access: AccessDecider): Promise<InclusionProofView> {
    requireDpo(access, null);
    if (!/^\d{1,15}$/.test(seq)) throw new BadUserInputError('seq', 'must be an audit row number');
    const size = this.treeSize('treeSize', treeSize);
    const proof = await this.log.inclusionProof(Number(seq), size);
    if (!proof) throw new NotFoundError('Audit log entry');
    return {
      seq: Number(seq),
      leafIndex: proof.leafIndex,
      treeSize: proof.treeSize,
      leafHash: b64(proof.leafHash),
      hashes: proof.hashes.map(b64),
    };
  }

  async consistency(fromSize: number, toSize: number | null, access: AccessDecider): Promise<ConsistencyProofView> {
    requireDpo(access, null);
    const from = this.treeSize('fromSize', fromSize)!;
    const to = this.treeSize('toSize', toSize);
    if (to !== undefined && from > to) throw new BadUserInputError('toSize', 'must not be below fromSize');
    const proof = await this.log.consistencyProof(from, to);
    if (!proof)
      throw new BadUserInputError(to === undefined ? 'fromSize' : 'toSize', "is beyond the log's latest checkpoint");
    return { fromSize: proof.fromSize, toSize: proof.toSize, hashes: proof.hashes.map(b64) };
  }

  /** A tree size given by the caller: a whole number no larger than the latest published checkpoint. */
  private treeSize(field: string, value: number | null | undefined): number | undefined {
    if (value === null || value === undefined) return undefined;
    const latest = this.log.latestPublished()?.treeSize ?? 0;
    if (!Number.isInteger(value) || value < 0) throw new BadUserInputError(field, 'must be a whole number of entries');
    if (value > latest) throw new BadUserInputError(field, `is beyond the latest checkpoint (${latest} entries)`);
    return value;
  }
}
