import type { RemoteModule } from '@atrium/contracts';
import { en } from './i18n/en.js';
import { zhCN } from './i18n/zh-CN.js';
import { AdminRoot } from './routes/admin-root.js';

export const remote: RemoteModule<'admin'> = {
  contract: 'admin@1',
  namespace: 'admin',
  translations: { en, 'zh-CN': zhCN },
  Root: AdminRoot,
};

/** `./mount` is itself a RemoteModule: the shell reads these named exports from the module namespace. */
export const { contract, namespace, translations, Root } = remote;
export default remote;
