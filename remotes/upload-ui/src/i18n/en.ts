export const en = {
  title: 'Documents',
};
export type Messages = typeof en;
