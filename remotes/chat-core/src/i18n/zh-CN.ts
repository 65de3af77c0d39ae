import type { ChatMessages } from './en.js';

export const zhCN: ChatMessages = {
  title: '对话',
  empty: '还没有对话。',
};
