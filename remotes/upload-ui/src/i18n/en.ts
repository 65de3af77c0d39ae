export const en = {
  title: 'Documents',
  emptyTitle: 'No documents yet',
  emptyBody:
    'Uploading documents for the assistant to answer from is not available yet. Until then it answers in retrieval-only mode without sources.',
};
export type Messages = typeof en;
