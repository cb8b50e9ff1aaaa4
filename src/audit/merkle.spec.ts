/**
 * The log's Merkle tree against RFC 9162: the reference roots of Certificate Transparency's test
 * vectors, and proofs checked by an independent verifier written here from the RFC's iterative
 * algorithms (sections 2.1.3.2 and 2.1.4.2), not from the recursive code that produced them.
 */
import { describe, expect, it } from 'vitest';
import { verifyConsistency, verifyInclusion } from '../../test/support/rfc9162';
import {
  CompactRange,
  consistencyProof,
  EMPTY_ROOT,
  inclusionProof,
  leafHash,
  rootOf,
  verifyConsistencyProof,
} from './merkle';

// Certificate Transparency's reference leaves and the roots of their first 1..8 (transparency-dev/merkle testonly).
const LEAVES = ['', '00', '10', '2021', '3031', '40414243', '5051525354555657', '606162636465666768696a6b6c6d6e6f'].map(
  (h) => leafHash(Buffer.from(h, 'hex')),
);
const ROOTS = [
  '6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d',
  'fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125',
  'aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77',
  'd37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7',
  '4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4',
  '76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef',
  'ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c',
  '5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328',
];

describe('RFC 9162 Merkle tree', () => {
  it('gives the reference roots, from the whole list and from the compact range', () => {
    expect(rootOf([]).toString('hex')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    expect(EMPTY_ROOT.equals(rootOf([]))).toBe(true);
    const range = new CompactRange();
    LEAVES.forEach((leaf, i) => {
      range.append(leaf);
      expect(rootOf(LEAVES.slice(0, i + 1)).toString('hex')).toBe(ROOTS[i]);
      expect(range.root().toString('hex')).toBe(ROOTS[i]);
    });
  });

  it('inclusion proofs for every leaf of every size up to 40 verify independently, and fail for another leaf or root', () => {
    const leaves = Array.from({ length: 40 }, (_, i) => leafHash(`entry ${i}`));
    for (let n = 1; n <= leaves.length; n++) {
      const root = rootOf(leaves, 0, n);
      for (let m = 0; m < n; m++) {
        const proof = inclusionProof(leaves, m, n);
        expect(verifyInclusion(m, n, leaves[m]!, proof, root)).toBe(true);
        expect(verifyInclusion(m, n, leafHash('forged'), proof, root)).toBe(false);
        if (n > 1) expect(verifyInclusion((m + 1) % n, n, leaves[m]!, proof, root)).toBe(false);
      }
    }
  });

  it('consistency proofs between every pair of sizes up to 40 verify independently, and fail for a rewritten history', () => {
    const leaves = Array.from({ length: 40 }, (_, i) => leafHash(`entry ${i}`));
    const rewritten = leaves.map((l, i) => (i === 3 ? leafHash('rewritten') : l));
    for (let n = 1; n <= leaves.length; n++) {
      for (let m = 1; m <= n; m++) {
        const proof = consistencyProof(leaves, m, n);
        expect(verifyConsistency(m, n, rootOf(leaves, 0, m), rootOf(leaves, 0, n), proof)).toBe(true);
        if (m > 3) {
          // The old checkpoint was of the real history; the new tree rewrote entry 3.
          expect(
            verifyConsistency(m, n, rootOf(leaves, 0, m), rootOf(rewritten, 0, n), consistencyProof(rewritten, m, n)),
          ).toBe(false);
        }
      }
    }
  });

  it("the witness's own consistency verifier accepts every honest proof and refuses a rewritten history, an old root not its own or a trimmed proof", () => {
    const honest = Array.from({ length: 24 }, (_, i) => leafHash(`leaf-${i}`));
    for (let n = 1; n <= honest.length; n++) {
      for (let m = 0; m <= n; m++) {
        const proof = consistencyProof(honest, m, n);
        const [a, b] = [rootOf(honest.slice(0, m)), rootOf(honest.slice(0, n))];
        expect(verifyConsistencyProof(m, n, a, b, proof)).toBe(true);
        expect(verifyConsistency(m, n, a, b, proof) || m === 0).toBe(true);
        if (m === 0 || m === n) continue;
        const rewritten = honest.map((h, i) => (i === m - 1 ? leafHash('forged') : h));
        expect(verifyConsistencyProof(m, n, a, rootOf(rewritten.slice(0, n)), consistencyProof(rewritten, m, n))).toBe(
          false,
        );
        expect(verifyConsistencyProof(m, n, rootOf(honest.slice(1, m + 1)), b, proof)).toBe(false);
        expect(verifyConsistencyProof(m, n, a, b, proof.slice(1))).toBe(false);
      }
    }
  });
});
