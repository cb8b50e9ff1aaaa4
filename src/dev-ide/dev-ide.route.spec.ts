import { describe, expect, it } from 'vitest';
import { isLoopbackHost } from './dev-ide.route';

describe('isLoopbackHost', () => {
  it('offers the IDE only on loopback addresses', () => {
    for (const host of ['127.0.0.1', '127.0.1.1', '::1', 'localhost']) expect(isLoopbackHost(host), host).toBe(true);
    for (const host of ['0.0.0.0', '::', '10.0.0.5', 'hub.internal', '127.0.0.1.example.com'])
      expect(isLoopbackHost(host), host).toBe(false);
  });
});
