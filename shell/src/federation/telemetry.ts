import type { ClientReport } from '@atrium/contracts';

/** Batches load reports and shared mismatches to the BFF; never blocks or breaks the UI. */
const queue: ClientReport[] = [];
let timer: ReturnType<typeof setTimeout> | undefined;

function flush(): void {
  timer = undefined;
  if (queue.length === 0) return;
  const body = JSON.stringify({ reports: queue.splice(0, 50) });
  const blob = new Blob([body], { type: 'application/json' });
  if (!navigator.sendBeacon?.('/api/telemetry', blob)) {
    void fetch('/api/telemetry', {
      method: 'POST',
      body,
      headers: { 'Content-Type': 'application/json' },
      keepalive: true,
      credentials: 'same-origin',
    }).catch(() => undefined);
  }
  if (queue.length > 0) schedule();
}

function schedule(): void {
  if (timer === undefined) timer = setTimeout(flush, 1000);
}

export function report(entry: ClientReport): void {
  queue.push(entry);
  schedule();
}

addEventListener('pagehide', flush);
