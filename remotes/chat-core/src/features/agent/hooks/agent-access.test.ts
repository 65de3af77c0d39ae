import { defaultAgentId } from '@atrium/contracts';
import { describe, expect, it } from 'vitest';
import { needsDefaultAgent } from './agent-access.js';

describe('needsDefaultAgent', () => {
  it('locks a chat with a paid agent once multi_agent is gone', () => {
    expect(needsDefaultAgent([], 'billing')).toBe(true);
    expect(needsDefaultAgent(['export'], 'technical')).toBe(true);
  });

  it('leaves chats with the default agent alone', () => {
    expect(needsDefaultAgent([], defaultAgentId)).toBe(false);
  });

  it('leaves any agent alone while multi_agent is held', () => {
    expect(needsDefaultAgent(['multi_agent'], 'billing')).toBe(false);
  });

  it('does not lock while the session or the chat agent is unknown', () => {
    expect(needsDefaultAgent(undefined, 'billing')).toBe(false);
    expect(needsDefaultAgent(null, 'billing')).toBe(false);
    expect(needsDefaultAgent([], null)).toBe(false);
  });
});
