import { roles } from '@atrium/contracts';
import { z } from 'zod';
import type { Retriever } from '../../retrieval/search.js';
import { defineTool } from '../define-tool.js';

const passageOutput = z.object({
  documentTitle: z.string(),
  documentId: z.string(),
  chunkId: z.string(),
  headingPath: z.array(z.string()),
  page: z.number().nullable(),
  text: z.string(),
});

/** Characters of each passage handed back to the model (the retriever's chunks are ~1–2k). */
const passageMaxChars = 1_500;

/**
 * `search_knowledge_base` (read, every role): the knowledge base searched as the caller, so the
 * access filter inside the query (documents/access.ts) decides what comes back, never the model.
 */
export function searchKnowledgeBaseTool(retriever: Retriever) {
  return defineTool({
    name: 'search_knowledge_base',
    description:
      'Search the knowledge base for passages relevant to a question. Returns passages with their document titles; quote them as sources.',
    kind: 'builtin',
    input: z.object({
      query: z.string().trim().min(1).max(500).describe('What to look for, in words'),
      limit: z.number().int().min(1).max(10).default(5).describe('Most passages to return'),
    }),
    output: z.object({ passages: z.array(passageOutput) }),
    risk: 'read',
    timeoutMs: 10_000,
    roles,
    describe: (input) => `Search the knowledge base for "${input.query}".`,
    summarize: (output) =>
      output.passages.length === 0
        ? 'No passage found.'
        : `${output.passages.length} passage(s) from ${[...new Set(output.passages.map((p) => p.documentTitle))].slice(0, 3).join(', ')}`,
    run: async (input, { caller }) => {
      const hits = await retriever.search(caller, input.query, { k: input.limit });
      return {
        passages: hits.map((hit) => ({
          documentTitle: hit.documentTitle,
          documentId: hit.documentId,
          chunkId: hit.chunkId,
          headingPath: hit.headingPath,
          page: hit.page,
          text: hit.text.slice(0, passageMaxChars),
        })),
      };
    },
  });
}
