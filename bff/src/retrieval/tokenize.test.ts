import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../config.js';
import { type OpenDatabase, queryRows } from '../db/index.js';
import { openTestDatabase } from '../testing/test-database.js';
import { searchTokens, searchVector } from './tokenize.js';

describe('searchTokens', () => {
  it('lower-cases words and splits at anything that is not a letter or digit', () => {
    expect(searchTokens("Reset your Password (v2.1) — it's quick!")).toEqual([
      'reset',
      'your',
      'password',
      'v2',
      '1',
      'it',
      's',
      'quick',
    ]);
  });

  it('turns a run of Han characters into overlapping bigrams, a single one into itself', () => {
    expect(searchTokens('如何重置密码')).toEqual(['如何', '何重', '重置', '置密', '密码']);
    expect(searchTokens('点 OK 即可')).toEqual(['点', 'ok', '即可']);
    expect(searchTokens('在Atrium中重置')).toEqual(['在', 'atrium', '中重', '重置']);
  });

  it('normalises full-width forms (NFKC), so ＡＢＣ１ and abc1 are one token', () => {
    expect(searchTokens('ＡＢＣ１，密码')).toEqual(['abc1', '密码']);
  });

  it('drops absurdly long runs', () => {
    expect(searchTokens(`${'x'.repeat(65)} kept`)).toEqual(['kept']);
  });
});

describe('searchVector (PostgreSQL full-text)', () => {
  let database: OpenDatabase;
  beforeAll(async () => {
    database = await openTestDatabase(loadConfig().database);
  });
  afterAll(() => database.close());

  it('stores each token as one lexeme, so a Chinese word matches inside a longer phrase', async () => {
    const text = '如何重置我的密码? Reset the password in Settings.';
    const [row] = await queryRows<{ lexemes: string[]; hit: boolean; phrase: boolean; miss: boolean }>(
      database.db,
      sql`select tsvector_to_array(v) as lexemes,
                 v @@ to_tsquery('simple', '密码') as hit,
                 v @@ to_tsquery('simple', '重置 <-> 置我') as phrase,
                 v @@ to_tsquery('simple', '忘记') as miss
          from (select ${searchVector(text)} as v) s`,
    );
    expect([...row!.lexemes].sort()).toEqual([...new Set(searchTokens(text))].sort());
    expect(row).toMatchObject({ hit: true, phrase: true, miss: false });
  });
});
