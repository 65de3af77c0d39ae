import type { Clock } from '../../clock.js';
import type { Retriever } from '../../retrieval/search.js';
import type { AnyTool } from '../tool.js';
import { searchKnowledgeBaseTool } from './knowledge-base-tools.js';
import { ticketTools } from './ticket-tools.js';

/** Atrium's own tools (issue 10): the knowledge base and the support desk. Roles and risks: docs/tools.md. */
export function builtinTools(deps: { retriever: Retriever; clock: Clock; refundMaxCents: number }): AnyTool[] {
  return [searchKnowledgeBaseTool(deps.retriever), ...ticketTools(deps)];
}
