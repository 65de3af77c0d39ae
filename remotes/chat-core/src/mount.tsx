import type { RemoteModule } from '@atrium/contracts';
import { en } from './i18n/en.js';
import { zhCN } from './i18n/zh-CN.js';
import { ChatRoot } from './routes/chat-root.js';

/** The shell mounts the default export of `./mount` (contracts: RemoteModule). */
const remote: RemoteModule<'chat-core'> = {
  contract: 'chat-core@1',
  namespace: 'chat',
  translations: { en, 'zh-CN': zhCN },
  Root: ChatRoot,
};

export default remote;
