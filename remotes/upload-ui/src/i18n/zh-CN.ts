import type { Messages } from './en.js';

export const zhCN: Messages = {
  title: '文档',
  emptyTitle: '还没有文档',
  emptyBody: '暂时还不能上传供助手作答的文档。在此之前，助手以仅检索模式回答，且没有可引用的来源。',
};
