import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import type { Database } from '../db/index.js';
import { defineTool } from './define-tool.js';
import { runTool, toolResultMaxBytes } from './run-tool.js';

const context = {
  db: undefined as unknown as Database,
  caller: { userId: '00000000-0000-4000-8000-000000000001', role: 'user' as const },
  signal: new AbortController().signal,
  idempotencyKey: null,
};

const echo = (bytes: number) =>
  defineTool({
    name: 'echo_bytes',
    description: 'returns a text of the asked length',
    kind: 'builtin',
    input: z.object({}),
    output: z.object({ text: z.string() }),
    risk: 'read',
    timeoutMs: 1_000,
    roles: ['user'],
    describe: () => 'echo',
    summarize: (output) => `${output.text.length} characters`,
    run: async () => ({ text: 'x'.repeat(bytes) }),
  });

describe('runTool', () => {
  it('passes on a result up to toolResultMaxBytes of JSON, and fails a larger one as tool.result_too_large', async () => {
    // `{"text":"…"}` adds 11 bytes around the text.
    const fits = await runTool(echo(toolResultMaxBytes - 11), {}, context);
    expect(fits).toMatchObject({ ok: true });
    const over = await runTool(echo(toolResultMaxBytes - 10), {}, context);
    expect(over).toMatchObject({ ok: false, code: 'tool.result_too_large' });
  });
});
