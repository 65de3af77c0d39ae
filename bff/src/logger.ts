import { type Logger as PinoLogger, pino, stdTimeFunctions } from 'pino';
import type { LogLevel } from './config.js';

type Fields = Record<string, unknown>;

/**
 * The BFF's logging port: `(msg, fields)` at every call site, so pino stays behind this one file.
 * `child(bindings)` returns a logger whose lines all carry `bindings` (the request id, the trace id).
 */
export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
  child(bindings: Fields): Logger;
}

/** Field names whose values never reach a log line, at the top level and one or two levels down. */
const secretKeys = [
  // Paths match whole keys, case-sensitively: header names in both spellings code meets.
  'authorization',
  'Authorization',
  'cookie',
  'Cookie',
  '["set-cookie"]',
  '["Set-Cookie"]',
  'password',
  'newPassword',
  'currentPassword',
  'token',
  'accessToken',
  'refreshToken',
  'secret',
  'apiKey',
  'api_key',
  'privateKey',
];

/** pino `redact` paths (fast-redact syntax) for every secret key at depth 0–2. */
export const redactPaths = secretKeys.flatMap((key) => {
  const nested = key.startsWith('[') ? key : `.${key}`;
  return [key, `*${nested}`, `*.*${nested}`];
});

/**
 * Pino writes a child's bindings and then the call's fields, both: a field the child already
 * binds (a call site passing `requestId` on a request's logger) would appear twice in one JSON
 * object, which some log pipelines refuse. The binding wins.
 */
const unbound = (fields: Record<string, unknown> | undefined, bound: ReadonlySet<string>) => {
  if (!fields) return {};
  if (bound.size === 0) return fields;
  return Object.fromEntries(Object.entries(fields).filter(([key]) => !bound.has(key)));
};

const wrap = (log: PinoLogger, bound: ReadonlySet<string> = new Set()): Logger => ({
  debug: (msg, fields) => log.debug(unbound(fields, bound), msg),
  info: (msg, fields) => log.info(unbound(fields, bound), msg),
  warn: (msg, fields) => log.warn(unbound(fields, bound), msg),
  error: (msg, fields) => log.error(unbound(fields, bound), msg),
  child: (bindings) => wrap(log.child(bindings), new Set([...bound, ...Object.keys(bindings)])),
});

/**
 * One JSON object per line (`level` as a label, ISO `time`, `msg`, then the fields), so log
 * shippers need no parsing rules. Secrets and cookies are replaced by `[redacted]` (see `redactPaths`).
 * `write` receives each line without its newline, synchronously: the seam tests capture logs with.
 */
export function createLogger(
  level: LogLevel,
  write: (line: string) => void = (line) => process.stdout.write(`${line}\n`),
): Logger {
  const destination = { write: (chunk: string) => write(chunk.endsWith('\n') ? chunk.slice(0, -1) : chunk) };
  return wrap(
    pino(
      {
        level,
        base: null,
        timestamp: stdTimeFunctions.isoTime,
        formatters: { level: (label) => ({ level: label }) },
        redact: { paths: redactPaths, censor: '[redacted]' },
      },
      destination,
    ),
  );
}
