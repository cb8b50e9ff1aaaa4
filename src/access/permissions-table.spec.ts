import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { OPERATION_PERMISSIONS } from './operation-permissions';
import { renderPermissionsTable } from './permissions-table';

const DOC = fileURLToPath(new URL('../../docs/permissions.md', import.meta.url));

describe('the DPO permissions table', () => {
  it('docs/permissions.md is current with ISA_PERMISSIONS, ISA_LEGAL_BASES and OPERATION_PERMISSIONS (run `npm run -s permissions:table`)', () => {
    expect(readFileSync(DOC, 'utf8')).toBe(renderPermissionsTable());
  });

  it('shows what runs: a school staff member reads education by ISA and never health; the DPO reads no case content', () => {
    const text = renderPermissionsTable();
    expect(text).toContain('| `school_staff` | ISA | ISA |  | ISA |  |  |  | consent |  |');
    expect(text).toContain('| `dpo` |  |  |  |  |  |  |  |  |  |');
  });

  it('shows the partners of the parents reading by consent only, never social care or police, and where each can sit', () => {
    const text = renderPermissionsTable();
    expect(text).toContain('| `adult_services_worker` | consent |  | consent |  |  |  |  | consent | consent |');
    expect(text).toContain('| `work_coach` | consent |  | consent |  |  |  |  | consent | consent |');
    expect(text).toContain(
      '| `eha_coordinator` | ISA | ISA | consent | consent | consent | consent |  | ISA | consent |',
    );
    expect(text).toContain('| `jobcentre_plus` | `work_coach` |');
    expect(text).toContain('| `adult_services` | `adult_services_worker` |');
    expect(text).toMatch(/\| `chairFirstTaf` \| .* \| `family_support_manager`, `family_support_facilitator` \|/);
  });

  it('changes when the operations change (the check can fail)', () => {
    const changed = renderPermissionsTable({
      ...OPERATION_PERMISSIONS,
      Query: { ...OPERATION_PERMISSIONS.Query, extraOperation: ['dpo'] },
    });
    expect(changed).not.toBe(renderPermissionsTable());
    expect(changed).toContain('| `extraOperation` | `dpo` |');
  });
});
