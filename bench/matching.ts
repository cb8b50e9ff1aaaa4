/**
 * The probabilistic matcher against a synthetic city (not a test): generates children and noisy
 * re-registrations with ground truth, blocks in memory, scores every candidate, and reports the
 * precision of auto-links, recall (auto + review), twins merged and time per match, for the
 * chosen thresholds and a sweep around them. Then measures the SQL blocking path on a smaller
 * database (PGlite, or BENCH_DATABASE_URL).
 *
 *   npm run -s bench:matching -- [--children 100000] [--queries 25000] [--sql-children 10000] [--sql-queries 1000] [--seed 42]
 */
import { parseArgs } from 'node:util';
import { sql } from 'drizzle-orm';
import { children } from '../schema';
import { matchKey } from '../src/child/identifiers';
import { openDatabase } from '../src/db';
import { BlockingIndex } from '../src/matching/blocking';
import { findProbableMatches } from '../src/matching/matcher';
import { blockedCandidates } from '../src/matching/matching.repository';
import { DEFAULT_THRESHOLDS } from '../src/matching/score';
import { evaluate, generate, percentile, scoreAll, type Person } from './matching-sim';

const { values } = parseArgs({
  options: {
    children: { type: 'string', default: '100000' },
    queries: { type: 'string', default: '25000' },
    'sql-children': { type: 'string', default: '10000' },
    'sql-queries': { type: 'string', default: '1000' },
    seed: { type: 'string', default: '42' },
  },
});
const seed = Number(values.seed);
const log = (line: string) => process.stderr.write(`${line}\n`);
const fixed = (n: number, d = 4) => n.toFixed(d);

log(`generating ${values.children} children and ${values.queries} re-registrations (seed ${seed})…`);
const population = generate(seed, Number(values.children), Number(values.queries));
log(
  `  ${population.held.length} held, ${population.queries.length} queries (${population.queries.filter((q) => q.truth === null).length} children not held, ${population.queries.filter((q) => q.twinOf !== null).length} of them twins)`,
);
log('scoring…');
const { scored, indexMs } = scoreAll(population, (done, total) => log(`  ${done}/${total}`));
const micros = scored.map((s) => s.micros);
const timing = {
  indexMs: Math.round(indexMs),
  meanMs: micros.reduce((a, b) => a + b, 0) / micros.length / 1000,
  p50Ms: percentile(micros, 50) / 1000,
  p95Ms: percentile(micros, 95) / 1000,
  p99Ms: percentile(micros, 99) / 1000,
  candidatesMean: scored.reduce((a, s) => a + s.candidates.length, 0) / scored.length,
};

const chosen = evaluate(scored, DEFAULT_THRESHOLDS);
const sweep = [];
for (const auto of [24, 28, 32, 34, 36, 38]) {
  for (const review of [6, 8, 10, 12, 14, 16]) {
    const f = evaluate(scored, { auto, review });
    sweep.push({
      auto,
      review,
      precisionAuto: fixed(f.precisionAuto),
      recallAuto: fixed(f.recallAuto, 3),
      recall: fixed(f.recall),
      reviewed: f.reviewed,
      newChildrenReviewed: f.newChildrenReviewed,
      twinsMerged: f.twinsMerged,
      twinsReviewed: f.twinsReviewed,
    });
  }
}

log(`SQL blocking path: ${values['sql-children']} children, ${values['sql-queries']} queries…`);
const small = generate(seed + 1, Number(values['sql-children']), Number(values['sql-queries']));
const database = await openDatabase(
  process.env.BENCH_DATABASE_URL ? { url: process.env.BENCH_DATABASE_URL } : { pgliteDataDir: 'memory://' },
);
await database.migrate();
if (await database.db.$count(children))
  throw new Error(
    'BENCH_DATABASE_URL must name an empty, migrated or new database: the bench adds synthetic children to it',
  );
const idOf = new Map<string, number>();
for (let i = 0; i < small.held.length; i += 1000) {
  const batch = small.held.slice(i, i + 1000).map((p) => ({
    givenName: p.givenName!,
    familyName: p.familyName!,
    dateOfBirth: p.dateOfBirth,
    postcode: p.postcode,
    gender: p.gender as 'female' | 'male',
    nhsNumber: p.nhsNumber,
    nhsNumberTraced: Boolean(p.nhsNumberTraced),
    upn: p.upn,
    matchKey: matchKey({
      givenName: p.givenName!,
      familyName: p.familyName!,
      date: p.dateOfBirth ?? null,
      postcode: p.postcode ?? null,
    }),
  }));
  const rows = await database.db.insert(children).values(batch).returning({ id: children.id });
  rows.forEach((r, k) => {
    idOf.set(r.id, small.held[i + k]!.id);
  });
}
await database.db.execute(sql`analyze children`);
const memory = new BlockingIndex<Person>();
for (const p of small.held) memory.add(p);
const sqlMicros: number[] = [];
let sameBlocks = 0;
let sqlFound = 0;
let sqlMatches = 0;
for (const [i, q] of small.queries.entries()) {
  const t0 = performance.now();
  const result = await findProbableMatches(database.db, q.person);
  sqlMicros.push((performance.now() - t0) * 1000);
  const blocked = new Set((await blockedCandidates(database.db, q.person)).map((c) => idOf.get(c.id)));
  const inMemory = new Set(memory.candidates(q.person).map((c) => c.id));
  if (blocked.size === inMemory.size && [...blocked].every((id) => inMemory.has(id!))) sameBlocks++;
  if (q.truth !== null) {
    sqlMatches++;
    if (result.band !== 'none' && result.candidates.some((c) => idOf.get(c.childId) === q.truth)) sqlFound++;
  }
  if ((i + 1) % Math.max(1, Math.floor(small.queries.length / 5)) === 0) log(`  ${i + 1}/${small.queries.length}`);
}
await database.close();
const sqlPath = {
  database: process.env.BENCH_DATABASE_URL ? 'postgres' : 'pglite',
  children: small.held.length,
  queries: small.queries.length,
  meanMs: sqlMicros.reduce((a, b) => a + b, 0) / sqlMicros.length / 1000,
  p95Ms: percentile(sqlMicros, 95) / 1000,
  sameCandidatesAsInMemory: `${sameBlocks}/${small.queries.length}`,
  recall: sqlMatches ? sqlFound / sqlMatches : 1,
};

console.log(
  JSON.stringify(
    { seed, held: population.held.length, queries: population.queries.length, chosen, timing, sweep, sqlPath },
    null,
    2,
  ),
);
const ok = chosen.precisionAuto >= 0.995 && chosen.recall >= 0.95 && chosen.twinsMerged === 0 && timing.meanMs <= 5;
log(ok ? 'targets met' : 'TARGETS MISSED');
process.exitCode = ok ? 0 : 1;
