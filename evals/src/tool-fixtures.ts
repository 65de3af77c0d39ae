import { readFile } from 'node:fs/promises';
import { createHttpToolRequestSchema, roleSchema } from '@atrium/contracts';
import { z } from 'zod';
import type { EvalCase } from './dataset.js';

/**
 * `evals/tool-fixtures.json`: what exists before the tool cases are asked. Tickets are made the
 * way users make them (the model proposes `create_ticket`, the admin approves, the worker
 * executes), so they belong to real requesters: `other_user` is a `user` who asks no case (whose
 * tickets an asker must never see), a role names that role's asker. HTTP tools are registered by
 * the admin (their hosts go on ATRIUM_HTTP_TOOL_ALLOW_HOSTS; no draft is approved, so none is called).
 */
export const toolFixturesSchema = z
  .object({
    tickets: z.array(
      z
        .object({
          key: z.string().regex(/^[a-z0-9][a-z0-9-]*$/),
          requester: z.union([z.literal('other_user'), roleSchema.exclude(['admin'])]),
          subject: z.string().trim().min(1).max(200),
          body: z.string().trim().min(1).max(5_000),
        })
        .strict(),
    ),
    http_tools: z.array(createHttpToolRequestSchema).default([]),
  })
  .strict();
export type ToolFixtures = z.output<typeof toolFixturesSchema>;

export async function loadToolFixtures(path: string): Promise<ToolFixtures> {
  return toolFixturesSchema.parse(JSON.parse(await readFile(path, 'utf8')));
}

const placeholder = /\{\{ticket:([a-z0-9-]+)\}\}/g;

/**
 * The case with every `{{ticket:<key>}}` replaced by that fixture ticket's id (in every string
 * field). Throws naming a key no fixture has.
 */
export function withTicketIds(c: EvalCase, ticketIds: ReadonlyMap<string, string>): EvalCase {
  const text = JSON.stringify(c).replace(placeholder, (_, key: string) => {
    const id = ticketIds.get(key);
    if (!id) throw new Error(`${c.id}: no fixture ticket "${key}"`);
    return id;
  });
  return JSON.parse(text) as EvalCase;
}

/** The fixture keys a case refers to (for the dataset check). */
export function ticketKeysIn(c: EvalCase): string[] {
  return [...JSON.stringify(c).matchAll(placeholder)].map((match) => match[1]!);
}

/** The message a fixture requester sends so the worst-case model proposes its ticket. */
export const fixtureMessage = (key: string) => `Eval fixture: open ticket ${key}.`;
