import { describe, expect, it } from 'vitest';
import { landingPage } from './landing-page';

describe('landing page', () => {
  it.each([false, true])(
    'nothing inline that the CSP (same-origin scripts and styles only) would block (ide: %s)',
    (ide) => {
      const html = landingPage({ ide });
      expect(html).not.toMatch(/\sstyle=/i);
      expect(html).not.toMatch(/<style/i);
      expect(html).not.toMatch(/<script(?![^>]*\ssrc=)/i);
      expect(html).not.toMatch(/\son\w+=/i);
      expect(html).toContain('<link rel="stylesheet" href="/landing.css">');
    },
  );

  it('links the DPO page, and the development IDE only when it is on', () => {
    expect(landingPage()).toContain('href="/dpo/"');
    expect(landingPage()).not.toContain('/graphiql');
    expect(landingPage({ ide: true })).toContain('href="/graphiql"');
  });
});
