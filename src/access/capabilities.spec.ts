import { describe, expect, it } from 'vitest';
import { ForbiddenError } from '../errors';
import { CAPABILITIES, Capability, hasCapability, requireCapability } from './capabilities';
import { ROLES } from './roles';

describe('capabilities', () => {
  it('names each capability once, with real roles, a description and a refusal', () => {
    expect(Object.keys(CAPABILITIES).sort()).toEqual(Object.values(Capability).sort());
    for (const rule of Object.values(CAPABILITIES)) {
      expect(rule.roles.length).toBeGreaterThan(0);
      for (const role of rule.roles) expect(ROLES).toContain(role);
      expect(rule.description).not.toBe('');
      expect(rule.refusal).not.toBe('');
    }
  });

  it('admits exactly the roles the table lists, and refuses the others with FORBIDDEN', () => {
    for (const [name, rule] of Object.entries(CAPABILITIES)) {
      const capability = name as Capability;
      for (const role of ROLES) {
        const held = rule.roles.includes(role);
        expect(hasCapability({ role }, capability)).toBe(held);
        if (held) expect(() => requireCapability({ role }, capability)).not.toThrow();
        else expect(() => requireCapability({ role }, capability)).toThrow(ForbiddenError);
      }
    }
  });

  it('words a refusal from the table unless the caller names its own', () => {
    expect(() => requireCapability({ role: 'school_dsl' }, Capability.StepDown)).toThrow(
      'Only social care steps a case down',
    );
    expect(() =>
      requireCapability({ role: 'school_dsl' }, Capability.CloseEha, { message: 'Your role may not closeEha' }),
    ).toThrow('Your role may not closeEha');
  });
});
