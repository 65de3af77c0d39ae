export type RetrievalOnlyReason = 'no_model' | 'unavailable';

/**
 * The answer when no model may be used. Until the knowledge base exists there are no passages
 * to cite, so it says so plainly instead of pretending.
 */
export function retrievalOnlyAnswer(reason: RetrievalOnlyReason): string {
  const why =
    reason === 'no_model' ? 'No language model is configured' : 'The language model is temporarily unavailable';
  return `Retrieval-only mode: ${why}, so I can only answer from the knowledge base — and it has no documents yet, so I have nothing to answer from.`;
}
