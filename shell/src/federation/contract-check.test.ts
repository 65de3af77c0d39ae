import type { RemoteModule } from '@atrium/contracts';
import { describe, expect, it } from 'vitest';
import { checkContract, RemoteLoadError } from './contract-check.js';

const Root = () => null;
const module = (contract: string): RemoteModule =>
  ({ contract, namespace: 'chat', translations: { en: {}, 'zh-CN': {} }, Root }) as unknown as RemoteModule;

describe('the mount contract check', () => {
  it('accepts a major this shell mounts', () => {
    expect(checkContract('chat-core', module('chat-core@1')).contract).toBe('chat-core@1');
  });

  it('refuses another major, another remote, or no module, with the outcome to report', () => {
    for (const [name, exported, outcome] of [
      ['chat-core', module('chat-core@2'), 'contract_mismatch'],
      ['chat-core', module('admin@1'), 'contract_mismatch'],
      ['chat-core', null, 'mount_error'],
    ] as const) {
      const attempt = () => checkContract(name, exported);
      expect(attempt).toThrow(RemoteLoadError);
      try {
        attempt();
      } catch (error) {
        expect((error as RemoteLoadError).outcome).toBe(outcome);
      }
    }
  });
});
