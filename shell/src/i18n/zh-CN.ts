import { roleNames } from '@atrium/shared';
import type { ShellMessages } from './en.js';

export const zhCN: ShellMessages = {
  brand: 'Atrium',
  nav: { chat: '对话', uploads: '文档', admin: '管理', account: '账户', signIn: '登录', signOut: '退出登录' },
  language: '语言',
  signedInAs: '当前用户 {{email}}（{{role}}）',
  roles: roleNames['zh-CN'],
  remote: {
    loading: '正在加载 {{name}}…',
    failedTitle: '{{name}} 暂时不可用',
    failedBody: 'Atrium 的其他部分仍可正常使用。你可以重试。',
    retry: '重试',
    fallbackNotice: '正在显示 {{name}} 的上一个版本。',
  },
  forbidden: { title: '你无权访问此页面', body: '如有需要，请联系管理员。' },
  notFound: { title: '页面不存在', home: '返回首页' },
  skipToContent: '跳到主要内容',
};
