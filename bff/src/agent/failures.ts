import { LlmError } from './llm-client.js';

export interface AnswerFailure {
  code: string;
  message: string;
}

const saved = 'Your message is saved — try Regenerate.';

/** What a failed answer tells the user: what happened, in plain words, and what to do next. */
export function failureFor(error: unknown): AnswerFailure {
  if (!(error instanceof LlmError)) {
    return { code: 'agent.failed', message: `Something went wrong while answering. ${saved}` };
  }
  const status = error.status ? ` (provider error ${error.status})` : '';
  switch (error.kind) {
    case 'rate_limited':
      return { code: 'agent.rate_limited', message: `The assistant is busy right now${status}. ${saved}` };
    case 'provider':
      return { code: 'agent.provider_error', message: `The assistant is unavailable right now${status}. ${saved}` };
    case 'timeout':
      return { code: 'agent.timeout', message: `The assistant took too long to respond. ${saved}` };
    case 'network':
      return { code: 'agent.unreachable', message: `The assistant could not be reached. ${saved}` };
    case 'malformed':
      return { code: 'agent.malformed_reply', message: `The assistant sent a reply we could not read. ${saved}` };
    case 'rejected':
      return { code: 'agent.rejected', message: `The assistant refused the request${status}. ${saved}` };
  }
}

export const interruptedFailure: AnswerFailure = {
  code: 'agent.interrupted',
  message: 'The answer was interrupted. Regenerate to try again.',
};
