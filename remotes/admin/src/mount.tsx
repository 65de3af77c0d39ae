import type { RemoteModule } from '@atrium/contracts';
import { en } from './i18n/en.js';
import { zhCN } from './i18n/zh-CN.js';
import { AdminRoot } from './routes/admin-root.js';

/** The shell mounts the default export of `./mount` (contracts: RemoteModule). */
const remote: RemoteModule<'admin'> = {
  contract: 'admin@1',
  namespace: 'admin',
  translations: { en, 'zh-CN': zhCN },
  Root: AdminRoot,
};

export default remote;
