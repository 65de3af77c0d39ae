import { describe, expect, it } from 'vitest';
import { type StoredTurn, standingTurns } from './standing-turns.js';

const user = (id: string, content: string): StoredTurn => ({
  id,
  role: 'user',
  content,
  status: 'complete',
  replyTo: null,
});
const answer = (id: string, replyTo: string | null, content: string, status: StoredTurn['status'] = 'complete') => ({
  id,
  role: 'assistant' as const,
  content,
  status,
  replyTo,
});

describe('the conversation an answer continues', () => {
  it('leaves out the answers the new one replaces', () => {
    const earlier = [user('q1', 'Name one airline.'), answer('a1', 'q1', 'KLM.')];
    expect(standingTurns('q1', earlier)).toEqual([{ role: 'user', content: 'Name one airline.' }]);
  });

  it('follows each earlier question with its newest usable answer only', () => {
    const earlier = [
      user('q1', 'Name one airline.'),
      answer('a1', 'q1', 'KLM.'),
      answer('a2', 'q1', 'Lufthansa.'),
      answer('a3', 'q1', '', 'failed'),
      user('q2', 'Another one?'),
      answer('a4', 'q2', 'Air France.', 'stopped'),
      user('q3', 'And one more?'),
    ];
    expect(standingTurns('q3', earlier)).toEqual([
      { role: 'user', content: 'Name one airline.' },
      { role: 'assistant', content: 'Lufthansa.' },
      { role: 'user', content: 'Another one?' },
      { role: 'assistant', content: 'Air France.' },
      { role: 'user', content: 'And one more?' },
    ]);
  });

  it('keeps a question whose answers all failed, and gives an answer without replyTo to the question before it', () => {
    const earlier = [
      user('q1', 'Hello?'),
      answer('a1', 'q1', '', 'failed'),
      user('q2', 'Anyone?'),
      answer('a2', null, 'Yes.'),
      user('q3', 'Good.'),
    ];
    expect(standingTurns('q3', earlier)).toEqual([
      { role: 'user', content: 'Hello?' },
      { role: 'user', content: 'Anyone?' },
      { role: 'assistant', content: 'Yes.' },
      { role: 'user', content: 'Good.' },
    ]);
  });
});
