export interface ProgressState {
  bytes: number;
  totalBytes: number;
  files: number;
  totalFiles: number;
  elapsedMs: number;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1000) return `${bytes} B`;
  const units = ['kB', 'MB', 'GB'];
  let value = bytes / 1000;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${value.toFixed(value < 10 ? 2 : value < 100 ? 1 : 0)} ${units[unit]}`;
}

export function percentOf(state: Pick<ProgressState, 'bytes' | 'totalBytes'>): number {
  if (state.totalBytes === 0) return 100;
  return Math.floor((state.bytes / state.totalBytes) * 100);
}

/** `[##########..........]  50%  1.20 MB / 2.40 MB  3/6 files  800 kB/s` */
export function formatProgress(state: ProgressState, barWidth = 20): string {
  const percent = percentOf(state);
  const filled = Math.round((percent / 100) * barWidth);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(barWidth - filled)}]`;
  const rate = state.elapsedMs > 0 ? `${formatBytes(Math.round((state.bytes * 1000) / state.elapsedMs))}/s` : '–';
  return [
    bar,
    `${String(percent).padStart(3)}%`,
    `${formatBytes(state.bytes)} / ${formatBytes(state.totalBytes)}`,
    `${state.files}/${state.totalFiles} files`,
    rate,
  ].join('  ');
}

export interface ProgressOptions {
  stream: { write(text: string): unknown; isTTY?: boolean };
  totalBytes: number;
  totalFiles: number;
  now(): number;
  /** On a terminal, redraw at most this often (the last frame is always drawn). */
  redrawMs?: number;
}

export interface Progress {
  /** One file finished uploading. */
  fileDone(bytes: number): void;
  finish(): void;
}

/**
 * On a terminal: one line redrawn in place. Elsewhere (CI logs): a plain line at every tenth of
 * the way, so a log shows movement without a line per file.
 */
export function createProgress(options: ProgressOptions): Progress {
  const started = options.now();
  const redrawMs = options.redrawMs ?? 100;
  const state: ProgressState = {
    bytes: 0,
    totalBytes: options.totalBytes,
    files: 0,
    totalFiles: options.totalFiles,
    elapsedMs: 0,
  };
  const tty = options.stream.isTTY === true;
  let lastDraw = Number.NEGATIVE_INFINITY;
  let lastTenth = -1;
  let finished = false;

  const draw = (final: boolean) => {
    const now = options.now();
    state.elapsedMs = now - started;
    if (tty) {
      if (!final && now - lastDraw < redrawMs) return;
      lastDraw = now;
      options.stream.write(`\r\x1b[2K${formatProgress(state)}${final ? '\n' : ''}`);
      return;
    }
    const tenth = Math.floor(percentOf(state) / 10);
    if (tenth === lastTenth) return;
    lastTenth = tenth;
    options.stream.write(`${formatProgress(state)}\n`);
  };

  draw(false);
  return {
    fileDone(bytes) {
      state.bytes += bytes;
      state.files += 1;
      draw(false);
    },
    finish() {
      if (finished) return;
      finished = true;
      draw(true);
    },
  };
}
