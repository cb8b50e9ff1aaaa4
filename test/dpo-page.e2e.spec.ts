/**
 * The DPO audit page in a real browser: Debian's chromium (never a downloaded one) driven by
 * playwright-core against a hub started here with fixture data — a school's reads (one with a
 * redacted field, one under a safeguarding override awaiting review). The DPO pastes a token,
 * searches, opens a record, reviews the override, verifies the chain and downloads a
 * subject-access report, all by label and role as a keyboard or screen-reader user would find
 * them, with no request leaving the hub's origin and no CSP violation.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fixture } from './support/fixtures';
import { startTestHub, type TestHub } from './support/hub';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = fileURLToPath(new URL('../docs/dpo-page.png', import.meta.url));
const LOOK = 'query Look($id: ID) { child(id: $id) { id givenName family { relation } } }';

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium)
  console.warn(
    `dpo-page.e2e: SKIPPED — ${CHROMIUM} is absent (install Debian's chromium: apt-get install -y chromium)`,
  );

describe.skipIf(!hasChromium)('DPO audit page in headless chromium', () => {
  let t: TestHub;
  let base: string;
  let context: BrowserContext;
  let page: Page;
  let profile: string;
  const offOrigin: string[] = [];
  const cspViolations: string[] = [];
  let ids: { school: string; redacted: string; guarded: string; overrideId: string; dpoToken: string };

  beforeAll(async () => {
    t = await startTestHub();
    base = t.url.replace(/\/graphql$/, '');
    const f = fixture(t.database.db);
    const school = await f.org('dpo-page-school', 'school');
    const council = await f.org('dpo-page-council', 'council_early_help');
    const redacted = await f.child();
    const guarded = await f.child();
    await f.involve(redacted.id, school, 'on_roll');
    await f.involve(guarded.id, school, 'on_roll');
    const overrideId = await f.override(guarded.id, {
      categories: ['family'],
      expiresAt: new Date(Date.now() + 86_400_000),
      recipientOrganisationIds: [school],
    });
    const schoolToken = await t.token({
      role: 'school_dsl',
      org: school,
      sub: 'school-dsl-page',
      clientId: 'school-mis-plugin',
    });
    // Reads the DPO will find: family redacted for want of consent; family shared under the override.
    const first = await t.post(schoolToken, LOOK, { id: redacted.id });
    expect(first.errors?.map((e) => e.extensions?.code)).toEqual(['CONSENT_REQUIRED']);
    const second = await t.post(schoolToken, LOOK, { id: guarded.id });
    expect(second.errors).toBeUndefined();
    ids = {
      school,
      redacted: redacted.id,
      guarded: guarded.id,
      overrideId,
      dpoToken: await t.token({ role: 'dpo', org: council, sub: 'dpo-page-officer' }),
    };

    profile = mkdtempSync(join(tmpdir(), 'ehh-chromium-'));
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      acceptDownloads: true,
      viewport: { width: 1280, height: 900 },
      args: [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        '--disable-quic',
        '--no-first-run',
        '--disable-background-networking',
        '--disable-component-update',
        '--disable-sync',
      ],
    });
    // Nothing may leave the hub's origin (blob: downloads are local).
    await context.route('**/*', (route) => {
      const url = route.request().url();
      if (url.startsWith(`${base}/`) || url.startsWith('blob:') || url.startsWith('data:')) return route.continue();
      offOrigin.push(url);
      return route.abort();
    });
    page = context.pages()[0] ?? (await context.newPage());
    page.on('console', (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) cspViolations.push(m.text());
    });
    page.on('pageerror', (e) => cspViolations.push(`page error: ${e.message}`));
  }, 90_000);

  afterAll(async () => {
    await context?.close();
    if (profile) rmSync(profile, { recursive: true, force: true });
    await t?.close();
  });

  it('signs in, searches, opens a record, reviews an override, verifies the chain and downloads a report', async () => {
    const response = await page.goto(`${base}/dpo`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-security-policy']).toContain("default-src 'self'");
    expect(await page.title()).toBe('Access audit — Early Help Hub');

    // A non-DPO token is turned away by the page (the hub would refuse its queries anyway).
    await page.getByLabel('DPO token').fill(await t.token({ role: 'school_dsl', org: ids.school, sub: 'not-a-dpo' }));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect
      .poll(() => page.locator('#signin-status').textContent())
      .toContain('the access audit is for the data protection officer');

    await page.getByLabel('DPO token').fill(ids.dpoToken);
    await page.getByLabel('DPO token').press('Tab');
    await page.keyboard.press('Enter'); // the Sign in button, by keyboard
    await expect
      .poll(() => page.locator('#whoami').textContent())
      .toBe('Signed in as dpo-page-officer (data protection officer)');

    // Overrides awaiting review, listed first so the screenshot shows them.
    await page.getByRole('button', { name: 'Load overrides' }).click();
    await expect
      .poll(() => page.locator('#overrides-status').textContent())
      .toMatch(/^\d+ overrides? waiting for review\.$/);
    const overrideRow = page.locator(`#overrides-table tbody tr[data-id="${ids.overrideId}"]`);
    await expect.poll(() => overrideRow.locator('td').nth(2).textContent()).toBe('family');

    // Search by organisation: both reads, with basis; the one under the override is flagged.
    await page.getByRole('radio', { name: 'Organisation' }).check();
    await page.getByLabel('Organisation id').fill(ids.school);
    await page.getByRole('button', { name: 'Search' }).click();
    await expect.poll(() => page.locator('#access-status').textContent()).toBe('2 access records found.');
    const rows = page.locator('#access-table tbody tr');
    await expect.poll(() => rows.count()).toBe(2);
    expect(await rows.nth(0).locator('td').nth(8).textContent()).toBe('1 (CONSENT_REQUIRED)');
    expect(await rows.nth(1).locator('td').nth(9).textContent()).toBe('override_used');

    // Open the redacted record: its basis and the field withheld, and why.
    const seq = await rows.nth(0).getAttribute('data-seq');
    await page.getByRole('button', { name: `Open access record ${seq}` }).click();
    await expect.poll(() => page.locator('#record-h').textContent()).toBe(`Access record ${seq}`);
    expect(await page.evaluate('document.activeElement?.id')).toBe('record-h');
    const redactions = await page.locator('#record-redacted tbody tr td').allTextContents();
    expect(redactions).toEqual(['Child.family', 'family', 'CONSENT_REQUIRED']);
    const basis = await page.locator('#record-basis tbody tr').allTextContents();
    expect(basis.some((b) => b.startsWith('identity'))).toBe(true);
    expect(await page.locator('#record-dl').textContent()).toContain(ids.redacted);

    // Verify the chain.
    await page.getByRole('button', { name: 'Verify chain' }).click();
    await expect
      .poll(() => page.locator('#chain-status').textContent())
      .toMatch(/^Chain intact: [1-9]\d* records? checked\.$/);

    const png = await page.screenshot({ fullPage: true });
    expect(png.subarray(1, 4).toString()).toBe('PNG');
    // The committed README screenshot is refreshed on request (ids and times differ every run).
    if (!existsSync(SCREENSHOT) || process.env.UPDATE_DPO_SCREENSHOT === '1') writeFileSync(SCREENSHOT, png);

    // Review the override: upheld, with a note. It leaves the list, here and in the hub.
    await page
      .getByRole('button', { name: new RegExp(`^Review override declared .* for child ${ids.guarded}$`) })
      .click();
    expect(await page.evaluate('document.activeElement?.id')).toBe('review-h');
    await page.getByRole('radio', { name: /^Upheld/ }).check();
    await page.getByLabel('Note').fill('Risk of significant harm documented; sharing proportionate.');
    await page.getByRole('button', { name: 'Record review' }).click();
    await expect.poll(() => page.locator('#overrides-status').textContent()).toMatch(/^Review recorded: upheld\./);
    expect(await overrideRow.count()).toBe(0);
    const pending = await t.post(ids.dpoToken, '{ overridesAwaitingReview(first: 200) { nodes { id } } }', {}, 'audit');
    expect(pending.data.overridesAwaitingReview.nodes.map((n: { id: string }) => n.id)).not.toContain(ids.overrideId);

    // Download the subject-access report for the child under the override.
    await page.getByLabel('Child id (hub id)', { exact: true }).last().fill(ids.guarded);
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download report' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`subject-access-${ids.guarded}.json`);
    const report = JSON.parse(readFileSync((await download.path())!, 'utf8'));
    expect(report.childId).toBe(ids.guarded);
    expect(report.records.safeguarding_overrides).toHaveLength(1);
    await expect
      .poll(() => page.locator('#sar-status').textContent())
      .toMatch(/^Downloaded subject-access-.*\.json \(\d+ bytes\)/);

    // Results are announced; the page asked nothing of any other origin and broke no CSP rule.
    for (const id of ['access-status', 'overrides-status', 'chain-status', 'sar-status'])
      expect(await page.locator(`#${id}`).getAttribute('aria-live')).toBe('polite');
    expect(offOrigin).toEqual([]);
    expect(cspViolations).toEqual([]);
  }, 90_000);
});
