import type { AnswerFailureCode } from '@atrium/contracts';
import { LlmError } from './llm-client.js';

export interface AnswerFailure {
  code: AnswerFailureCode;
  message: string;
}

/** A limit every answer lives under (ATRIUM_ANSWER_DEADLINE_MS, ATRIUM_ANSWER_MAX_CHARS). */
export type AnswerLimit = 'deadline' | 'length';

/** The answer reached one of its limits: it ends `failed`, keeping the text written so far. */
export class AnswerLimitReached extends Error {
  override name = 'AnswerLimitReached';
  constructor(readonly limit: AnswerLimit) {
    super(`the answer reached its ${limit} limit`);
  }
}

const saved = 'Your message is saved — try Regenerate.';

/** What a failed answer tells the user: what happened, in plain words, and what to do next. */
export function failureFor(error: unknown): AnswerFailure {
  if (error instanceof AnswerLimitReached) {
    return error.limit === 'deadline'
      ? { code: 'agent.answer_deadline', message: `The answer took too long and was ended here. ${saved}` }
      : { code: 'agent.answer_too_long', message: `The answer reached the length limit and was ended here. ${saved}` };
  }
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
