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

const wrap = (log: PinoLogger): Logger => ({
  debug: (msg, fields) => log.debug(fields ?? {}, msg),
  info: (msg, fields) => log.info(fields ?? {}, msg),
  warn: (msg, fields) => log.warn(fields ?? {}, msg),
  error: (msg, fields) => log.error(fields ?? {}, msg),
  child: (bindings) => wrap(log.child(bindings)),
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
