import { describe, expect, it } from 'vitest';
import { chooseModel } from './model-choice.js';
import { fitHistory } from './token-budget.js';

const system = { role: 'system' as const, content: 'sys' };
const turn = (role: 'user' | 'assistant', chars: number) => ({ role, content: 'x'.repeat(chars) });

describe('history budget', () => {
  it('keeps the system prompt and the newest turns that fit', () => {
    const turns = [
      turn('user', 400),
      turn('assistant', 400),
      turn('user', 40),
      turn('assistant', 40),
      turn('user', 40),
    ];
    const kept = fitHistory(system, turns, 150);
    expect(kept[0]).toBe(system);
    expect(kept.slice(1)).toEqual(turns.slice(2));
  });

  it('cuts between exchanges: an answer whose question did not fit is left out too', () => {
    const turns = [turn('user', 400), turn('assistant', 40), turn('user', 40), turn('assistant', 40), turn('user', 40)];
    const kept = fitHistory(system, turns, 150);
    expect(kept.slice(1)).toEqual(turns.slice(2));
    expect(kept[1]!.role).toBe('user');
  });

  it('keeps the question even when it alone is over budget, cut to fit', () => {
    const kept = fitHistory(system, [turn('user', 10_000)], 100);
    expect(kept).toHaveLength(2);
    expect(kept[1]!.content.length).toBeLessThan(400);
  });
});

describe('model choice', () => {
  const models = { small: 's', large: 'l' };
  it('uses the small model for short plain questions and the large one otherwise', () => {
    expect(chooseModel(models, [{ role: 'user', content: 'Where is my parcel?' }])).toBe('s');
    expect(chooseModel(models, [{ role: 'user', content: 'x'.repeat(600) }])).toBe('l');
    expect(chooseModel(models, [{ role: 'user', content: 'Why does this fail? ```ts\nfoo()\n```' }])).toBe('l');
    expect(chooseModel(models, [turn('assistant', 12_000), { role: 'user', content: 'ok' }])).toBe('l');
  });
});
