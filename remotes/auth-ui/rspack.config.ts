import type { Mode } from '@atrium/tooling/rspack-common';
import { remoteConfig } from '@atrium/tooling/rspack-remote';
import { federation } from './module-federation.config.ts';

export default (_env: unknown, argv: { mode?: Mode }) =>
  remoteConfig(argv.mode ?? 'production', import.meta.dirname, federation);
