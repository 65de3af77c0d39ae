import { loadavg } from 'node:os';
import { createTestApp } from '../bff/src/testing/test-app.js';
import { addTicketComment, createTicket } from '../bff/src/tickets/repository.js';
import type { ToolCaller } from '../bff/src/tools/tool.js';
import { flag, helpRequested, percentile } from './harness.js';

if (
  !helpRequested(`
tool-step — what the gate adds to one tool call. Measured: gate.call(caller, 'get_ticket', args,
  { via: 'mcp' }) through the real registry and gate (lookup over every source — built-ins, HTTP
  tools and MCP servers read from the database —, zod on the arguments, the role check, the run
  with its timeout signal, zod on the output, injection signals over the result, the tool_calls
  stats row and the tool.called audit row). Baseline, interleaved call by call with the order
  alternating: the same tool's run() on the same database with the same caller (the SQL read
  itself). Caller: a 'user' reading their own ticket (the visibility filter in SQL on both sides).
  In-memory PGlite, or PostgreSQL with DATABASE_URL (its test database, as the test suite uses).
  --calls N      measured calls per side (default 500; 50 warm-up calls first)
`)
) {
  const calls = flag('calls', 500);
  const loadBefore = loadavg()[0]!;
  const t = await createTestApp();
  const user = await t.createUser({ email: 'bench-tools@example.com', role: 'user' });
  const caller: ToolCaller = { userId: user.id, role: 'user' };
  const ticket = await createTicket(t.db, caller, {
    subject: 'Card declined at checkout',
    body: 'The payment failed twice with the same card.',
    priority: 'normal',
    now: t.clock.now(),
  });
  for (let i = 0; i < 3; i++) {
    await addTicketComment(t.db, caller, { ticketId: ticket.id, body: `Comment ${i}`, now: t.clock.now() });
  }
  const tool = await t.tools.registry.get('get_ticket');
  if (!tool) throw new Error('get_ticket is not registered');
  const args = { ticketId: ticket.id };
  const signal = new AbortController().signal;

  const viaGate = async () => {
    const outcome = await t.tools.gate.call(caller, 'get_ticket', args, { via: 'mcp' }, signal);
    if (outcome.kind !== 'result') throw new Error(`gate: ${JSON.stringify(outcome)}`);
  };
  const direct = async () => {
    await tool.run(tool.input.parse(args), { db: t.db, caller, signal, idempotencyKey: null });
  };
  const time = async (fn: () => Promise<void>) => {
    const start = performance.now();
    await fn();
    return performance.now() - start;
  };

  for (let i = 0; i < 50; i++) {
    await viaGate();
    await direct();
  }
  const gateMs: number[] = [];
  const directMs: number[] = [];
  for (let i = 0; i < calls; i++) {
    if (i % 2 === 0) {
      gateMs.push(await time(viaGate));
      directMs.push(await time(direct));
    } else {
      directMs.push(await time(direct));
      gateMs.push(await time(viaGate));
    }
  }
  const loadAfter = loadavg()[0]!;

  const sorted = (xs: number[]) => [...xs].sort((a, b) => a - b);
  const [g, d] = [sorted(gateMs), sorted(directMs)];
  const at = (xs: number[], p: number) => percentile(xs, p);
  const ms = (v: number) => `${v.toFixed(2)} ms`.padStart(10);
  const row = (name: string, xs: number[]) =>
    `  ${name.padEnd(40)} p50 ${ms(at(xs, 50))}   p95 ${ms(at(xs, 95))}   p99 ${ms(at(xs, 99))}\n`;
  process.stdout.write(
    `get_ticket, ${calls} calls per side, ${t.driver === 'postgres' ? 'PostgreSQL' : 'PGlite in memory'}\n` +
      row('gate.call (stats row + audit)', g) +
      row('baseline: tool.run directly', d) +
      `  overhead per call (gate − direct)        p50 ${ms(at(g, 50) - at(d, 50))}   p95 ${ms(at(g, 95) - at(d, 95))}\n` +
      `  ratio gate / direct                      p50 ${(at(g, 50) / at(d, 50)).toFixed(2).padStart(10)}   p95 ${(at(g, 95) / at(d, 95)).toFixed(2).padStart(10)}\n` +
      `  load average (1 min) ${loadBefore.toFixed(1)} → ${loadAfter.toFixed(1)}\n`,
  );
  await t.close();
  process.exit(0);
}
