/**
 * The audit log's checkpoints and proofs (RFC 9162, C2SP checkpoints). Audit metadata only:
 * hashes and sizes, never a child's data.
 */
import { DateTimeResolver } from 'graphql-scalars';
import { Field, ID, Int, ObjectType } from 'type-graphql';

@ObjectType({
  description:
    'A signed checkpoint of the audit log: the size and root of its Merkle tree at a time, as published outside the database.',
})
export class AuditCheckpoint {
  @Field(() => String, { description: "The log's name (the checkpoint's origin line)." }) origin!: string;
  @Field(() => Int, { description: 'Entries in the tree.' }) treeSize!: number;
  @Field(() => String, { description: 'RFC 9162 root hash, base64.' }) rootHash!: string;
  @Field(() => DateTimeResolver) time!: Date;
  @Field(() => String, {
    description:
      'The checkpoint as a C2SP signed note (Ed25519): keep it; `npm run audit:verify` checks an export against it.',
  })
  note!: string;
}

@ObjectType({ description: "The audit log's latest published checkpoint and the key that verifies it." })
export class AuditLogHead {
  @Field(() => AuditCheckpoint, { nullable: true, description: 'Null before the first checkpoint.' })
  checkpoint!: AuditCheckpoint | null;
  @Field(() => String, { description: 'The signed-note verifier key: <name>+<key id>+<base64 Ed25519 key>.' })
  verifierKey!: string;
}

@ObjectType({
  description: 'RFC 9162 inclusion proof: the audit row is entry leafIndex of the tree of treeSize entries.',
})
export class AuditInclusionProof {
  @Field(() => ID) seq!: string;
  @Field(() => Int) leafIndex!: number;
  @Field(() => Int) treeSize!: number;
  @Field(() => String, {
    description: "SHA-256(0x00 ‖ entry), base64; the entry is the canonical JSON of the row's seq and content.",
  })
  leafHash!: string;
  @Field(() => [String], { description: 'The audit path, leaf to root, base64.' }) hashes!: string[];
}

@ObjectType({
  description: 'RFC 9162 consistency proof: the tree of fromSize entries is a prefix of the tree of toSize.',
})
export class AuditConsistencyProof {
  @Field(() => Int) fromSize!: number;
  @Field(() => Int) toSize!: number;
  @Field(() => [String], { description: 'Base64 node hashes.' }) hashes!: string[];
}
