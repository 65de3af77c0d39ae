import { AppError } from '../errors.js';
import type { AnyTool, ToolRunContext } from './tool.js';

/**
 * Largest tool result passed on to the model, an MCP caller or a step, as JSON bytes (64 KiB,
 * about 16k tokens: more would crowd the question and passages out of the model's context).
 */
export const toolResultMaxBytes = 64 * 1024;

/** What one run came to, with the time it took in ms (all attempts). */
export type RunResult =
  | { ok: true; output: unknown; durationMs: number }
  | { ok: false; code: string; message: string; durationMs: number };

/**
 * Runs `tool` with already-validated `input`: each attempt is aborted after `tool.timeoutMs`
 * (or when `context.signal` aborts) even if the tool ignores its signal; a failed attempt is
 * retried up to `tool.maxRetries` times only when `tool.idempotent`; the output is checked with
 * `tool.output`. Never throws: failures come back as `tool.timeout`, an `AppError`'s own code
 * (`ticket.not_found`…), or `tool.failed`. Used by the gate (read tools) and the draft executor.
 */
export async function runTool(tool: AnyTool, input: unknown, context: ToolRunContext): Promise<RunResult> {
  const started = performance.now();
  const attempts = 1 + (tool.idempotent ? tool.maxRetries : 0);
  let last: { code: string; message: string } = { code: 'tool.failed', message: 'The tool did not run.' };
  for (let attempt = 0; attempt < attempts && !context.signal.aborted; attempt++) {
    try {
      const output = await attemptOnce(tool, input, context);
      const checked = tool.output.safeParse(output);
      if (!checked.success) {
        return {
          ok: false,
          code: 'tool.failed',
          message: 'The tool returned something unexpected.',
          durationMs: since(started),
        };
      }
      const bytes = Buffer.byteLength(JSON.stringify(checked.data ?? null));
      if (bytes > toolResultMaxBytes) {
        return {
          ok: false,
          code: 'tool.result_too_large',
          message: `The tool's result is ${bytes} bytes; at most ${toolResultMaxBytes} are passed on.`,
          durationMs: since(started),
        };
      }
      return { ok: true, output: checked.data, durationMs: since(started) };
    } catch (error) {
      last = describeFailure(error, tool);
      // A refusal from the domain (not found, duplicate) will not change on a second try.
      if (error instanceof AppError && error.status < 500) break;
    }
  }
  return { ok: false, ...last, durationMs: since(started) };
}

const since = (started: number) => Math.round(performance.now() - started);

class ToolTimeout extends Error {}

async function attemptOnce(tool: AnyTool, input: unknown, context: ToolRunContext): Promise<unknown> {
  const timeout = new AbortController();
  const signal = AbortSignal.any([context.signal, timeout.signal]);
  let timer: NodeJS.Timeout | undefined;
  let onAbort: () => void = () => undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      timeout.abort(new ToolTimeout());
      reject(new ToolTimeout());
    }, tool.timeoutMs);
    onAbort = () => reject(context.signal.reason);
    context.signal.addEventListener('abort', onAbort, { once: true });
  });
  try {
    return await Promise.race([tool.run(input, { ...context, signal }), expired]);
  } finally {
    clearTimeout(timer);
    context.signal.removeEventListener('abort', onAbort);
  }
}

function describeFailure(error: unknown, tool: AnyTool): { code: string; message: string } {
  if (error instanceof ToolTimeout) {
    return { code: 'tool.timeout', message: `The tool took longer than ${tool.timeoutMs} ms.` };
  }
  if (error instanceof AppError) return { code: error.code, message: error.message };
  return { code: 'tool.failed', message: 'The tool failed.' };
}
