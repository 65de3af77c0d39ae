export const en = {
  title: 'Account',
};
export type Messages = typeof en;
