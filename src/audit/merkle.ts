/**
 * RFC 9162 (Certificate Transparency v2) Merkle tree hashing and proofs, over leaf hashes held in
 * order. Leaf hash = SHA-256(0x00 ‖ entry); node hash = SHA-256(0x01 ‖ left ‖ right); the tree
 * of n leaves splits at the largest power of two below n (section 2.1.1). Proofs follow the
 * recursive definitions of sections 2.1.3.1 (inclusion) and 2.1.4.1 (consistency); anyone can
 * check them with the iterative verifiers of sections 2.1.3.2 and 2.1.4.2.
 */
import { createHash } from 'node:crypto';

export type Hash = Buffer;

export const EMPTY_ROOT: Hash = createHash('sha256').digest();

export function leafHash(entry: Buffer | string): Hash {
  return createHash('sha256').update(Buffer.of(0x00)).update(entry).digest();
}

export function nodeHash(left: Hash, right: Hash): Hash {
  return createHash('sha256').update(Buffer.of(0x01)).update(left).update(right).digest();
}

/** The largest power of two strictly below n (n ≥ 2). */
function split(n: number): number {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
}

/** MTH(D[lo:hi]) over leaf hashes. */
export function rootOf(leaves: readonly Hash[], lo = 0, hi = leaves.length): Hash {
  const n = hi - lo;
  if (n === 0) return EMPTY_ROOT;
  if (n === 1) return leaves[lo]!;
  const k = split(n);
  return nodeHash(rootOf(leaves, lo, lo + k), rootOf(leaves, lo + k, hi));
}

/** PATH(m, D[0:n]): the audit path of leaf m in the tree of the first n leaves. */
export function inclusionProof(leaves: readonly Hash[], m: number, n: number): Hash[] {
  if (!(m >= 0 && m < n && n <= leaves.length)) throw new RangeError('leaf index outside the tree');
  const path = (lo: number, hi: number, index: number): Hash[] => {
    const size = hi - lo;
    if (size === 1) return [];
    const k = split(size);
    return index < k
      ? [...path(lo, lo + k, index), rootOf(leaves, lo + k, hi)]
      : [...path(lo + k, hi, index - k), rootOf(leaves, lo, lo + k)];
  };
  return path(0, n, m);
}

/** PROOF(m, D[0:n]): proves the tree of the first m leaves is a prefix of the tree of n. */
export function consistencyProof(leaves: readonly Hash[], m: number, n: number): Hash[] {
  if (!(m >= 0 && m <= n && n <= leaves.length)) throw new RangeError('tree sizes out of order');
  if (m === 0 || m === n) return [];
  const sub = (mm: number, lo: number, hi: number, whole: boolean): Hash[] => {
    const size = hi - lo;
    if (mm === size) return whole ? [] : [rootOf(leaves, lo, hi)];
    const k = split(size);
    return mm <= k
      ? [...sub(mm, lo, lo + k, whole), rootOf(leaves, lo + k, hi)]
      : [...sub(mm - k, lo + k, hi, false), rootOf(leaves, lo, lo + k)];
  };
  return sub(m, 0, n, true);
}

/**
 * The root of a growing tree kept as its compact range: the roots of the perfect subtrees the
 * leaves so far decompose into, largest first. An append costs O(log n); so does the root.
 */
export class CompactRange {
  private readonly peaks: { size: number; hash: Hash }[] = [];
  size = 0;

  append(leaf: Hash): void {
    let node = { size: 1, hash: leaf };
    while (this.peaks.length > 0 && this.peaks.at(-1)!.size === node.size) {
      const left = this.peaks.pop()!;
      node = { size: left.size * 2, hash: nodeHash(left.hash, node.hash) };
    }
    this.peaks.push(node);
    this.size++;
  }

  /** An independent copy: appending to it leaves this range as it was. */
  clone(): CompactRange {
    const copy = new CompactRange();
    copy.peaks.push(...this.peaks.map((p) => ({ ...p })));
    copy.size = this.size;
    return copy;
  }

  root(): Hash {
    if (this.peaks.length === 0) return EMPTY_ROOT;
    let hash = this.peaks.at(-1)!.hash;
    for (let i = this.peaks.length - 2; i >= 0; i--) hash = nodeHash(this.peaks[i]!.hash, hash);
    return hash;
  }
}

/**
 * RFC 9162 section 2.1.4.2: does `proof` show the tree of `first` leaves (root `firstRoot`) is a
 * prefix of the tree of `second` leaves (root `secondRoot`)? What a witness runs before it accepts
 * a larger checkpoint, so a log that rewrote or dropped entries it had already shown is refused.
 */
export function verifyConsistencyProof(
  first: number,
  second: number,
  firstRoot: Hash,
  secondRoot: Hash,
  proof: readonly Hash[],
): boolean {
  if (!(Number.isInteger(first) && Number.isInteger(second)) || first < 0 || first > second) return false;
  if (first === second) return proof.length === 0 && firstRoot.equals(secondRoot);
  // The empty tree is a prefix of every tree.
  if (first === 0) return proof.length === 0;
  if (proof.length === 0) return false;
  const path = (first & (first - 1)) === 0 ? [firstRoot, ...proof] : [...proof];
  let fn = first - 1;
  let sn = second - 1;
  while (fn % 2 === 1) {
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  let fr = path[0]!;
  let sr = path[0]!;
  for (const c of path.slice(1)) {
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      fr = nodeHash(c, fr);
      sr = nodeHash(c, sr);
      if (fn % 2 === 0)
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
    } else {
      sr = nodeHash(sr, c);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && fr.equals(firstRoot) && sr.equals(secondRoot);
}
