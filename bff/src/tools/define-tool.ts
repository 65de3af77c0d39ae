import { defaultApprovals } from '@atrium/contracts';
import type { ToolDefinition } from './tool.js';

type Declared<I, O> = Omit<ToolDefinition<I, O>, 'approvals' | 'maxRetries' | 'idempotent' | 'transactional'> &
  Partial<Pick<ToolDefinition<I, O>, 'approvals' | 'maxRetries' | 'idempotent' | 'transactional'>>;

/**
 * A tool declared once, with the defaults filled in: approvals from `defaultApprovals[risk]`
 * (contracts/tools.ts, issue 10), `read` tools idempotent and retried once, writes neither.
 * Types flow from `input` and `output` into `run`, `describe` and `summarize`.
 */
export function defineTool<I, O>(declared: Declared<I, O>): ToolDefinition<I, O> {
  const idempotent = declared.idempotent ?? declared.risk === 'read';
  return {
    ...declared,
    approvals: declared.approvals !== undefined ? declared.approvals : defaultApprovals[declared.risk],
    idempotent,
    maxRetries: idempotent ? (declared.maxRetries ?? 1) : 0,
    transactional: declared.transactional ?? false,
  };
}
