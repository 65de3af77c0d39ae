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
 * A child is its bindings, written at the front of each of its lines by the root pino logger:
 * no pino child per request (pino serialises and redacts a child's bindings when it is made,
 * work every request paid; issue 12, bench/chats-rps.ts). A field the child already binds is
 * written once, the binding winning (some log pipelines refuse a key twice in one object); the
 * line is the same JSON a pino child writes, redaction included.
 */
const lineFields = (bindings: Fields, fields: Fields | undefined): Fields => {
  if (!fields) return bindings;
  const line: Fields = { ...bindings };
  for (const key of Object.keys(fields)) if (!(key in bindings)) line[key] = fields[key];
  return line;
};

/** The keys `redactPaths` names, as they appear on an object (`["set-cookie"]` is `set-cookie`). */
const secretKeySet: ReadonlySet<string> = new Set(secretKeys.map((key) => key.replace(/^\["|"\]$/g, '')));

/**
 * True when redaction cannot change the line: no top-level key is a secret one and no value is an
 * object, so no path of depth 1 or 2 can exist (`*.cookie` needs an object value). Such a line,
 * the request log line among them (method, path, status, ms, userId, requestId), is written by a
 * pino without `redact`: `@pinojs/redact` walked all 48 paths of every line, ~2–3% of a read's
 * CPU (issue 12, bench/chats-rps.ts --profile). Cost here: one Set lookup and typeof per key.
 */
export const redactionCannotApply = (line: Fields): boolean => {
  for (const key in line) {
    const value = line[key];
    if (secretKeySet.has(key) || (typeof value === 'object' && value !== null)) return false;
  }
  return true;
};

interface Pinos {
  /** Redacts `redactPaths`; every line that might hold a secret goes here. */
  redacting: PinoLogger;
  /** The same logger without `redact`, for lines `redactionCannotApply` cleared. */
  plain: PinoLogger;
}

const wrap = (log: Pinos, bindings: Fields | null = null): Logger => {
  const at = (level: 'debug' | 'info' | 'warn' | 'error') => (msg: string, fields?: Fields) => {
    if (!log.redacting.isLevelEnabled(level)) return;
    const line = bindings ? lineFields(bindings, fields) : (fields ?? {});
    (redactionCannotApply(line) ? log.plain : log.redacting)[level](line, msg);
  };
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    child: (more) => wrap(log, { ...bindings, ...more }),
  };
};

/**
 * stdout is written once this many bytes of lines are buffered (~20 request lines), or by the
 * periodic flush, so a line is late by at most `logFlushMs`. A process killed by SIGKILL loses
 * what is buffered; any exit Node sees (process.exit, an uncaught error) flushes it.
 */
export const logBatchBytes = 4096;
/** The longest a line waits in the buffer, in ms. */
export const logFlushMs = 200;

/**
 * pino's asynchronous stdout, written in batches of `logBatchBytes`, and flushed every
 * `logFlushMs` when a batch is waiting: sonic-boom's own `periodicFlush` writes even an empty
 * buffer, a syscall 5 times a second on an idle process. `_len` (its buffered bytes) is private:
 * if a later sonic-boom drops it, every tick flushes, as `periodicFlush` would.
 */
function batchedStdout() {
  const destination = pino.destination({ dest: 1, sync: false, minLength: logBatchBytes });
  const buffered = () => (destination as unknown as { _len?: number })._len ?? 1;
  setInterval(() => {
    if (buffered() > 0) destination.flush();
  }, logFlushMs).unref();
  return destination;
}

/**
 * One JSON object per line (`level` as a label, ISO `time`, `msg`, then the fields), so log
 * shippers need no parsing rules. Secrets and cookies are replaced by `[redacted]` (see `redactPaths`).
 * Lines go to stdout through pino's asynchronous destination: a request never waits on the
 * write, lines leave in batches of `logBatchBytes` or every `logFlushMs`, whichever comes first,
 * and what is buffered is flushed on exit (pino registers it). Writing each line synchronously
 * cost ~8% of a read's CPU and stalled the event loop whenever the log reader was slow; one
 * asynchronous write per line still cost ~5% (issue 12, bench/chats-rps.ts --profile).
 * Secrets: a line that could hold one is redacted; a flat line without a secret key skips the
 * redactor, which could not change it (`redactionCannotApply`).
 * `write` receives each line without its newline, synchronously: the seam tests capture logs with.
 */
export function createLogger(level: LogLevel, write?: (line: string) => void): Logger {
  const destination = write
    ? { write: (chunk: string) => write(chunk.endsWith('\n') ? chunk.slice(0, -1) : chunk) }
    : batchedStdout();
  const options = {
    level,
    base: null,
    timestamp: stdTimeFunctions.isoTime,
    formatters: { level: (label: string) => ({ level: label }) },
  };
  // Both write to the one destination, in call order: lines never interleave or reorder.
  return wrap({
    redacting: pino({ ...options, redact: { paths: redactPaths, censor: '[redacted]' } }, destination),
    plain: pino(options, destination),
  });
}
