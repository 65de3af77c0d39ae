export const en = {
  title: 'Chat',
  empty: 'No conversations yet.',
};
export type ChatMessages = typeof en;
