import type { RemoteModule } from '@atrium/contracts';
import { en } from './i18n/en.js';
import { zhCN } from './i18n/zh-CN.js';
import { AdminHome } from './routes/admin-home.js';

export const remote: RemoteModule<'admin'> = {
  contract: 'admin@1',
  namespace: 'admin',
  translations: { en, 'zh-CN': zhCN },
  Root: AdminHome,
};

export default remote;
