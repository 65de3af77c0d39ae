export const en = {
  title: 'Admin',
};
export type Messages = typeof en;
