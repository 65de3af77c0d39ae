import type { RemoteModule } from '@atrium/contracts';
import { en } from './i18n/en.js';
import { zhCN } from './i18n/zh-CN.js';
import { UploadsHome } from './routes/uploads-home.js';

/** The shell mounts the default export of `./mount` (contracts: RemoteModule). */
const remote: RemoteModule<'upload-ui'> = {
  contract: 'upload-ui@1',
  namespace: 'uploads',
  translations: { en, 'zh-CN': zhCN },
  Root: UploadsHome,
};

export default remote;
