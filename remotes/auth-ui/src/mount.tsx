import type { RemoteModule } from '@atrium/contracts';
import { en } from './i18n/en.js';
import { zhCN } from './i18n/zh-CN.js';
import { AuthRoot } from './routes/auth-root.js';

export const remote: RemoteModule<'auth-ui'> = {
  contract: 'auth-ui@1',
  namespace: 'auth',
  translations: { en, 'zh-CN': zhCN },
  Root: AuthRoot,
};

/** `./mount` is itself a RemoteModule: the shell reads these named exports from the module namespace. */
export const { contract, namespace, translations, Root } = remote;
export default remote;
