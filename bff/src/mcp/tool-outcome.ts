import type { CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { ToolCallOutcome } from '../tools/tool.js';

/**
 * What an MCP client receives for one gate outcome: a read tool's output as JSON text; a write
 * tool's draft as a sentence naming the draft and that it waits for approval (with the draft as
 * structured content); a refusal or failure as an error result carrying its stable code.
 */
export function toCallToolResult(outcome: ToolCallOutcome): CallToolResult {
  switch (outcome.kind) {
    case 'result':
      return { content: [{ type: 'text', text: JSON.stringify(outcome.output) }] };
    case 'drafted':
      return {
        content: [
          {
            type: 'text',
            text: `Draft ${outcome.draft.id} created: ${outcome.draft.summary} It waits for approval and has not run yet.`,
          },
        ],
        structuredContent: { draftId: outcome.draft.id, status: outcome.draft.status },
      };
    case 'failed':
    case 'refused':
      return { isError: true, content: [{ type: 'text', text: `${outcome.code}: ${outcome.message}` }] };
  }
}
