import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportRun, reportTarget } from './report-run.js';

const received: { auth: string | undefined; body: unknown; path: string | undefined }[] = [];
let status = 201;
const server = createServer((req, res) => {
  let text = '';
  req.on('data', (chunk) => {
    text += chunk;
  });
  req.on('end', () => {
    received.push({ auth: req.headers.authorization, body: JSON.parse(text), path: req.url });
    res.writeHead(status, { 'Content-Type': 'application/json' }).end('{"code":"token.invalid"}');
  });
});
let origin = '';
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

const result = { name: 'nightly', passed: 96, total: 98, detail: { mode: 'hybrid' } };

describe('reporting a run', () => {
  it('is off unless both URL and token are set; an origin gets the runs path', () => {
    expect(reportTarget({})).toBeNull();
    expect(reportTarget({ ATRIUM_EVAL_REPORT_URL: 'http://bff:3000' })).toBeNull();
    expect(reportTarget({ ATRIUM_EVAL_REPORT_URL: 'http://bff:3000', ATRIUM_EVAL_REPORT_TOKEN: 'atr_x' })).toEqual({
      url: 'http://bff:3000/api/evals/runs',
      token: 'atr_x',
    });
  });

  it('posts the result with the token, and says (without failing) when the BFF refuses', async () => {
    const lines: string[] = [];
    const env = { ATRIUM_EVAL_REPORT_URL: origin, ATRIUM_EVAL_REPORT_TOKEN: 'atr_secret' };
    expect(await reportRun(env, result, (line) => lines.push(line))).toBe(true);
    expect(received.at(-1)).toEqual({ auth: 'Bearer atr_secret', body: result, path: '/api/evals/runs' });
    status = 401;
    expect(await reportRun(env, result, (line) => lines.push(line))).toBe(false);
    expect(lines.at(-1)).toContain('HTTP 401');
    const unreachable = { ATRIUM_EVAL_REPORT_URL: 'http://127.0.0.1:1', ATRIUM_EVAL_REPORT_TOKEN: 'atr_secret' };
    expect(await reportRun(unreachable, result, (line) => lines.push(line))).toBe(false);
    expect(lines.at(-1)).toMatch(/^Could not report the run/);
  });
});
