import type { Messages } from './en.js';

export const zhCN: Messages = {
  title: '账户',
};
