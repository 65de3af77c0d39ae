import type { SharedMismatchReport } from '@atrium/contracts';
import { describe, expect, it, vi } from 'vitest';
import { sharedMismatchPlugin } from './shared-mismatch.js';

type ResolveShareArgs = Parameters<NonNullable<ReturnType<typeof sharedMismatchPlugin>['resolveShare']>>[0];

function resolve(plugin: ReturnType<typeof sharedMismatchPlugin>, required: string, loaded: string) {
  const args = {
    pkgName: 'react',
    shareInfo: { shareConfig: { requiredVersion: required, singleton: true }, from: 'chat_core' },
    resolver: () => ({ shared: { version: loaded }, useTreesShaking: false }),
  } as unknown as ResolveShareArgs;
  return plugin.resolveShare!(args);
}

describe('shared singleton mismatch', () => {
  it('reports a loaded singleton outside the consumer range, once, and keeps using it', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const reports: SharedMismatchReport[] = [];
    const plugin = sharedMismatchPlugin((report) => reports.push(report));
    const args = resolve(plugin, '^19.3.0', '18.2.0');
    resolve(plugin, '^19.3.0', '18.2.0');
    expect(reports).toEqual([{ package: 'react', required: '^19.3.0', loaded: '18.2.0', consumer: 'chat_core' }]);
    expect(args?.resolver()?.shared.version).toBe('18.2.0');
    expect(console.warn).toHaveBeenCalledOnce();
  });

  it('stays quiet when the loaded version satisfies the range', () => {
    const reports: SharedMismatchReport[] = [];
    resolve(
      sharedMismatchPlugin((report) => reports.push(report)),
      '^19.3.0',
      '19.3.1',
    );
    expect(reports).toEqual([]);
  });
});
