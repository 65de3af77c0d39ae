import { type Column, fillPlaceholders, getTableColumns, type Table } from 'drizzle-orm';
import type { Database } from './index.js';

/*
 * The hottest reads (the session lookup every request makes, the chat list) run drizzle-built
 * SQL on the driver itself and turn its rows into the same objects with a reader made once per
 * table. drizzle's own path costs per request: three OpenTelemetry spans (even with tracing off,
 * through the no-op tracer), `JSON.stringify` of the parameters, and `mapResultRow`, which checks
 * every cell's column class and maps it by a path (issue 12, bench/chats-rps.ts --profile: ~5% of
 * a GET /api/chats' CPU). The SQL text stays drizzle's, so the index checks in list-order.test.ts
 * still describe it.
 */

/**
 * Runs one statement and returns its rows as arrays, in the order of the select list. Types as
 * each driver parses them by default (boolean, float8 as number, uuid, text and enums as
 * strings), timestamptz as a `Date` or its text (pg: see `rawTypes` in index.ts). `name` names a prepared statement where the driver has them (pg:
 * parsed and planned once per connection).
 */
export type RawRunner = (name: string, text: string, values: unknown[]) => Promise<unknown[][]>;

const runners = new WeakMap<Database, RawRunner>();

/** Called by `openDatabase` for the databases it opens; a drizzle instance made elsewhere has none. */
export function registerRawRunner(db: Database, runner: RawRunner): void {
  runners.set(db, runner);
}

/**
 * Column types whose value the drivers return as drizzle would map it, except timestamps (made a
 * `Date` below when a driver returns text). Any other type in a table read this way throws when
 * its reader is made: a new `bigint` or `json` column needs its own mapping here first.
 */
const passThrough = new Set(['PgUUID', 'PgText', 'PgBoolean', 'PgDoublePrecision', 'PgEnumColumn', 'PgInteger']);

/** A row reader of `table`: `values[offset + i]` is the table's i-th column (drizzle's select-list order). */
export function tableReader<T extends Table>(table: T): (values: unknown[], offset: number) => T['$inferSelect'] {
  const columns = Object.entries(getTableColumns(table)) as [string, Column][];
  const dates = columns.map(([key, column]) => {
    if (column.columnType === 'PgTimestamp') return true; // mode 'date'; mode 'string' is PgTimestampString
    if (passThrough.has(column.columnType)) return false;
    throw new Error(`tableReader: column ${key} is ${column.columnType}, which has no raw mapping`);
  });
  const keys = columns.map(([key]) => key);
  return (values, offset) => {
    const row: Record<string, unknown> = {};
    for (let i = 0; i < keys.length; i++) {
      const value = values[offset + i];
      row[keys[i]!] = dates[i] && value !== null && !(value instanceof Date) ? new Date(value as string) : value;
    }
    return row as T['$inferSelect'];
  };
}

/** How many columns `table` puts in a select list: the offset of the next table's in a join. */
export const columnCount = (table: Table): number => Object.keys(getTableColumns(table)).length;

/**
 * A prepared select run raw where `openDatabase` registered a runner, through drizzle otherwise
 * (a transaction, a test's recording instance). `build` is the drizzle query; `read` turns one
 * raw row into what drizzle's `execute` would have returned for it.
 */
export function rawSelect<Row, Params extends Record<string, unknown>>(
  db: Database,
  name: string,
  build: () => {
    toSQL(): { sql: string; params: unknown[] };
    prepare(name: string): { execute(values: Params): Promise<Row[]> };
  },
  read: (values: unknown[]) => Row,
): (values: Params) => Promise<Row[]> {
  const runner = runners.get(db);
  const query = build();
  if (!runner) {
    const prepared = query.prepare(name);
    return (values) => prepared.execute(values);
  }
  const { sql, params } = query.toSQL();
  return async (values) => (await runner(name, sql, fillPlaceholders(params, values))).map(read);
}

/** Whether `db` reads raw (it was opened by `openDatabase`); for tests. */
export const hasRawRunner = (db: Database): boolean => runners.has(db);
