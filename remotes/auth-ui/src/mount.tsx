import type { RemoteModule } from '@atrium/contracts';
import { en } from './i18n/en.js';
import { zhCN } from './i18n/zh-CN.js';
import { AuthRoot } from './routes/auth-root.js';

/** The shell mounts the default export of `./mount` (contracts: RemoteModule). */
const remote: RemoteModule<'auth-ui'> = {
  contract: 'auth-ui@1',
  namespace: 'auth',
  translations: { en, 'zh-CN': zhCN },
  Root: AuthRoot,
};

export default remote;
