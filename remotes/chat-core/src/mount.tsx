import type { RemoteModule } from '@atrium/contracts';
import { en } from './i18n/en.js';
import { zhCN } from './i18n/zh-CN.js';
import { ChatHome } from './routes/chat-home.js';

export const remote: RemoteModule<'chat-core'> = {
  contract: 'chat-core@1',
  namespace: 'chat',
  translations: { en, 'zh-CN': zhCN },
  Root: ChatHome,
};

export default remote;
