import { execFileSync, spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createLogger, redactionCannotApply } from './logger.js';

const capture = (level: Parameters<typeof createLogger>[0] = 'debug') => {
  const lines: string[] = [];
  return { lines, logger: createLogger(level, (line) => lines.push(line)) };
};

describe('createLogger', () => {
  it('writes one JSON object per line with a level label, an ISO time, the message and the fields', () => {
    const { lines, logger } = capture();
    logger.info('request', { status: 200, path: '/api/me' });
    expect(lines).toHaveLength(1);
    const line = JSON.parse(lines[0]!);
    expect(line).toMatchObject({ level: 'info', msg: 'request', status: 200, path: '/api/me' });
    expect(new Date(line.time).toISOString()).toBe(line.time);
    expect(line).not.toHaveProperty('pid');
  });

  it('drops lines below the configured level and writes nothing when silent', () => {
    const warn = capture('warn');
    warn.logger.info('quiet');
    warn.logger.error('loud');
    expect(warn.lines.map((l) => JSON.parse(l).msg)).toEqual(['loud']);
    const silent = capture('silent');
    silent.logger.error('never');
    expect(silent.lines).toEqual([]);
  });

  it('never writes cookies, authorization headers, passwords, tokens or API keys', () => {
    const { lines, logger } = capture();
    logger.warn('outbound call', {
      password: 'hunter2-password',
      apiKey: 'sk-live-abcdef',
      headers: {
        authorization: 'Bearer top-secret-bearer',
        cookie: 'atrium_session=s3ss10n',
        'set-cookie': 'a=set-c00kie',
      },
      request: { body: { token: 'deep-t0ken', newPassword: 'next-password' } },
      upstream: { Authorization: 'Basic upstr3am', Cookie: 'b=c00kie-two', 'Set-Cookie': 'c=s3t-two' },
    });
    const text = lines.join('\n');
    for (const secret of [
      'hunter2',
      'sk-live',
      'top-secret',
      's3ss10n',
      'set-c00kie',
      'deep-t0ken',
      'next-password',
      'upstr3am',
      'c00kie-two',
      's3t-two',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(JSON.parse(lines[0]!).headers.cookie).toBe('[redacted]');
  });

  it('a child logger carries its bindings on every line', () => {
    const { lines, logger } = capture();
    const child = logger.child({ requestId: 'req-12345678' });
    child.info('one');
    child.child({ traceId: 'abc' }).error('two');
    expect(lines.map((l) => JSON.parse(l))).toMatchObject([
      { msg: 'one', requestId: 'req-12345678' },
      { msg: 'two', requestId: 'req-12345678', traceId: 'abc' },
    ]);
  });

  it('writes a field the child already binds once, the binding winning', () => {
    const { lines, logger } = capture();
    const child = logger.child({ requestId: 'req-12345678' }).child({ traceId: 'abc' });
    child.error('failed', { requestId: 'req-12345678', traceId: 'other', status: 500 });
    expect(lines[0]!.match(/"requestId"/g)).toHaveLength(1);
    expect(lines[0]!.match(/"traceId"/g)).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ requestId: 'req-12345678', traceId: 'abc', status: 500 });
  });

  it("writes a child's line as a pino child would: level, time, bindings, fields, msg; bound secrets redacted", () => {
    const { lines, logger } = capture();
    logger
      .child({ requestId: 'req-12345678' })
      .child({ cookie: 'atrium_session=secret' })
      .info('request', { status: 200 });
    expect(Object.keys(JSON.parse(lines[0]!))).toEqual(['level', 'time', 'requestId', 'cookie', 'status', 'msg']);
    expect(lines[0]).not.toContain('secret');
  });

  it('redacts a secret key on a flat line, at the top level or bound by a child', () => {
    const { lines, logger } = capture();
    logger.info('flat', { password: 'flat-hunter2', status: 200 });
    logger.child({ token: 'bound-t0ken' }).info('request', { method: 'GET', path: '/api/chats' });
    logger.info('header', { 'set-cookie': 'a=flat-c00kie' });
    expect(lines.map((l) => JSON.parse(l))).toMatchObject([
      { password: '[redacted]', status: 200 },
      { token: '[redacted]', method: 'GET' },
      { 'set-cookie': '[redacted]' },
    ]);
    for (const secret of ['flat-hunter2', 'bound-t0ken', 'flat-c00kie']) expect(lines.join('\n')).not.toContain(secret);
  });

  it('skips the redactor only for a line it could not change: flat, with no secret key', () => {
    const requestLine = {
      requestId: 'req-12345678',
      method: 'GET',
      path: '/api/chats',
      status: 200,
      ms: 1.2,
      userId: null,
    };
    expect(redactionCannotApply(requestLine)).toBe(true);
    expect(redactionCannotApply({})).toBe(true);
    expect(redactionCannotApply({ ...requestLine, cookie: 'x' })).toBe(false);
    expect(redactionCannotApply({ 'Set-Cookie': 'x' })).toBe(false);
    expect(redactionCannotApply({ apiKey: 1 })).toBe(false);
    expect(redactionCannotApply({ headers: {} })).toBe(false);
    expect(redactionCannotApply({ list: [] })).toBe(false);
    // The redacted and the plain paths write the same JSON for a line with nothing to redact.
    const { lines, logger } = capture();
    logger.info('request', requestLine);
    logger.info('request', { ...requestLine, extra: { note: 'nested, so redacting path' } });
    const [plain, redacting] = lines.map((l) => JSON.parse(l));
    expect(Object.keys(plain)).toEqual(['level', 'time', ...Object.keys(requestLine), 'msg']);
    expect({ ...redacting, extra: undefined, time: plain.time }).toEqual({ ...plain, extra: undefined });
  });

  it('writes a lone line to stdout while the process keeps running (the periodic flush)', async () => {
    const script = [
      "import { createLogger } from './logger.ts';",
      "createLogger('info').info('alone', { n: 1 });",
      'setTimeout(() => undefined, 60_000);',
    ].join('\n');
    const child = spawn(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: path.dirname(fileURLToPath(import.meta.url)),
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    try {
      let output = '';
      for await (const chunk of child.stdout) {
        output += String(chunk);
        if (output.includes('\n')) break;
      }
      expect(JSON.parse(output.trim())).toMatchObject({ msg: 'alone', n: 1 });
      expect(child.exitCode).toBeNull();
    } finally {
      child.kill();
    }
  });

  it('writes every line to stdout by default, those still buffered included when the process exits at once', () => {
    const script = [
      "import { createLogger } from './logger.ts';",
      "const logger = createLogger('info');",
      // Odd lines nest an object (the redacting pino), even ones are flat (the plain one): one order.
      "for (let i = 0; i < 2000; i++) logger.child({ requestId: 'r' + i }).info('request', i % 2 ? { i, o: { i } } : { i });",
      'process.exit(0);',
    ].join('\n');
    const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      cwd: path.dirname(fileURLToPath(import.meta.url)),
      encoding: 'utf8',
    });
    const lines = output.trim().split('\n');
    expect(lines).toHaveLength(2000);
    expect(JSON.parse(lines[1999]!)).toMatchObject({ requestId: 'r1999', i: 1999, msg: 'request' });
    expect(lines.map((l) => JSON.parse(l).i)).toEqual(Array.from({ length: 2000 }, (_, i) => i));
  });
});
