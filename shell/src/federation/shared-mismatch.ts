import type { SharedMismatchReport } from '@atrium/contracts';
import { type ModuleFederationRuntimePlugin, satisfy } from '@module-federation/enhanced/runtime';

/**
 * Makes a singleton version mismatch visible: a console warning in development, a report to
 * the BFF in production. The runtime still uses the loaded singleton (a second React breaks hooks).
 */
export function sharedMismatchPlugin(report: (mismatch: SharedMismatchReport) => void): ModuleFederationRuntimePlugin {
  const seen = new Set<string>();
  return {
    name: 'atrium-shared-mismatch',
    resolveShare(args) {
      const required = args.shareInfo.shareConfig?.requiredVersion;
      const resolved = args.resolver();
      const loaded = resolved?.shared.version;
      if (typeof required === 'string' && loaded && !satisfy(loaded, required)) {
        const mismatch = { package: args.pkgName, required, loaded, consumer: args.shareInfo.from ?? 'unknown' };
        const key = JSON.stringify(mismatch);
        if (!seen.has(key)) {
          seen.add(key);
          if (process.env.NODE_ENV !== 'production') console.warn('[atrium] shared singleton mismatch', mismatch);
          report(mismatch);
        }
      }
      return args;
    },
  };
}
