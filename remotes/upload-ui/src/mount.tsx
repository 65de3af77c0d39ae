import type { RemoteModule } from '@atrium/contracts';
import { en } from './i18n/en.js';
import { zhCN } from './i18n/zh-CN.js';
import { DocumentsRoot } from './routes/documents-root.js';

/**
 * The shell mounts the default export of `./mount` (contracts: RemoteModule). Contract 2:
 * uploads need `ApiClient.upload` (byte progress), which shells before upload-ui@2 lack.
 */
const remote: RemoteModule<'upload-ui'> = {
  contract: 'upload-ui@2',
  namespace: 'uploads',
  translations: { en, 'zh-CN': zhCN },
  Root: DocumentsRoot,
};

export default remote;
