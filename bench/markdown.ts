import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { flag, helpRequested } from './harness.js';

if (
  !helpRequested(`
markdown — chat-core's Markdown renderer on adversarial answers (issue 8), no server needed.
  For each input at 4k and 40k characters: the median CPU time to render it from scratch (parse +
  React elements + static markup, as the browser does on opening a chat), plain text of the same
  size as the baseline in the same run, figure / baseline, and 40k / 4k of the median and of the
  minimum CPU time (goal: at most 15; linear is 10). Then one 40k answer streamed in 50-character
  deltas: characters parsed and CPU time, incremental (re-parsing the open block) against
  re-parsing the whole text per delta.
  --only TEXT    only inputs whose name contains TEXT
  --runs N       at least N renders per input (default 5; each input also runs for at least 1 s)
  --old DIR      time this copy of another src/markdown instead (e.g. d9354cc's, from git show),
                 for before/after figures; DIR/markdown.tsx must export Markdown
`)
) {
  // Production React, as in the browser bundle: the development build checks every element.
  process.env.NODE_ENV = 'production';
  const { createElement } = await import('react');
  const { renderToStaticMarkup } = await import('react-dom/server');
  const oldIndex = process.argv.indexOf('--old');
  const onlyIndex = process.argv.indexOf('--only');
  const only = onlyIndex >= 0 ? (process.argv[onlyIndex + 1] ?? '') : '';
  const dir =
    oldIndex >= 0
      ? pathToFileURL(resolve(process.argv[oldIndex + 1] ?? '.')).href
      : new URL('../remotes/chat-core/src/markdown', import.meta.url).href;
  const { Markdown } = (await import(
    `${dir}/markdown.tsx`
  )) as typeof import('../remotes/chat-core/src/markdown/markdown.js');
  const { IncrementalParser } = await import('../remotes/chat-core/src/markdown/incremental-parse.js');
  const { markdownParser } = await import('../remotes/chat-core/src/markdown/parser.js');

  const labels = { copy: 'Copy', copied: 'Copied', copyFailed: 'Copy failed', code: 'Code' };
  /** A fresh element each time: a new component instance, so nothing is cached between renders. */
  const render = (source: string) => renderToStaticMarkup(createElement(Markdown, { source, labels }));

  /** `unit` repeated to exactly n characters. */
  const fit = (unit: string, n: number) => unit.repeat(Math.ceil(n / unit.length)).slice(0, n);
  const inputs: Record<string, (n: number) => string> = {
    "'*a ' (issue 8)": (n) => fit('*a ', n),
    "'[' (issue 8)": (n) => fit('[', n),
    "'`'": (n) => fit('`', n),
    "'x' + '`'": (n) => `x${fit('`', n - 1)}`,
    "'<'": (n) => fit('<', n),
    "nested '> ' quotes": (n) => `${fit('> ', n - 1)}a`,
    "'>' lines, deepening": (n) => {
      let text = '';
      for (let depth = 1; text.length < n; depth++) text += `${'>'.repeat(depth % 100)} a\n`;
      return text.slice(0, n);
    },
    'link chain': (n) => fit('[a](https://x.test/b) ', n),
    "'[a](b' unclosed links": (n) => fit('[a](b', n),
    "'[]((' ": (n) => fit('[]((', n),
    "'_a'": (n) => fit('_a', n),
    "'**a'": (n) => fit('**a', n),
    "'a**'": (n) => fit('a**', n),
    "'**_* '": (n) => fit('**_* ', n),
    "'- *'": (n) => fit('- *', n),
    "'*x *x '": (n) => fit('*x *x ', n),
    "'``\\\\'": (n) => fit('``\\', n),
    "'![['": (n) => fit('![[', n),
    'nested emphasis': (n) => {
      const side = Math.floor(n / 4);
      return `${'*'.repeat(side)}${'a'.repeat(n - 2 * side)}${'*'.repeat(side)}`;
    },
    "'[' then ']'": (n) => `${'['.repeat(Math.floor(n / 2))}${']'.repeat(n - Math.floor(n / 2))}`,
    'bare URLs': (n) => fit('https://a.test ', n),
    "'[' + bare URLs": (n) => `[${fit(' https://a.test', n - 1)}`,
    'nested lists': (n) => {
      let text = '';
      for (let depth = 0; text.length < n; depth++) text += `${'  '.repeat(depth % 40)}- item\n`;
      return text.slice(0, n);
    },
  };
  const plain = (n: number) => fit('lorem ipsum dolor sit amet, ', n);

  const minRuns = flag('runs', 5);
  /**
   * CPU ms (this process, `process.cpuUsage`) of renders from scratch, after two warm-up renders:
   * at least `minRuns` runs and 1 s, at most 500 runs or 20 s. CPU time rather than wall time:
   * on a shared machine the wall time of a run is mostly how long other work kept it off the
   * core. The median includes garbage collection, as a user would feel it; the minimum is the
   * work itself, which is what shows whether the algorithm is linear.
   */
  function measure(source: string): { median: number; min: number } {
    render(source);
    render(source);
    const samples: number[] = [];
    const started = performance.now();
    while (samples.length < minRuns || performance.now() - started < 1000) {
      const before = process.cpuUsage();
      render(source);
      const used = process.cpuUsage(before);
      samples.push((used.user + used.system) / 1000);
      if (samples.length >= 500 || performance.now() - started > 20_000) break;
    }
    samples.sort((a, b) => a - b);
    return { median: samples[Math.floor(samples.length / 2)]!, min: samples[0]! };
  }

  const small = 4000;
  const large = 40_000;
  const ms = (value: number) => value.toFixed(value < 10 ? 2 : 1).padStart(9);
  const ratio = (value: number) => value.toFixed(1).padStart(8);
  const startLoad = loadavg();
  process.stdout.write(
    `renderer: ${oldIndex >= 0 ? dir : 'chat-core (markdown-it)'}, load average ${startLoad.map((x) => x.toFixed(1)).join(' ')}\n` +
      'median CPU ms per render (ratio: to plain text of the same size; 40k/4k of the median and of the minimum)\n' +
      `${'input'.padEnd(26)}${'4k'.padStart(9)}${'ratio'.padStart(8)}${'40k'.padStart(9)}${'ratio'.padStart(8)}` +
      `${'40k/4k'.padStart(8)}${'min'.padStart(8)}\n`,
  );
  const baseline = { small: measure(plain(small)), large: measure(plain(large)) };
  process.stdout.write(
    `${'plain text (baseline)'.padEnd(26)}${ms(baseline.small.median)}${ratio(1)}${ms(baseline.large.median)}${ratio(1)}` +
      `${ratio(baseline.large.median / baseline.small.median)}${ratio(baseline.large.min / baseline.small.min)}\n`,
  );
  let worst = 0;
  for (const [name, make] of Object.entries(inputs)) {
    if (only && !name.includes(only)) continue;
    try {
      const a = measure(make(small));
      const b = measure(make(large));
      worst = Math.max(worst, b.min / a.min);
      process.stdout.write(
        `${name.padEnd(26)}${ms(a.median)}${ratio(a.median / baseline.small.median)}` +
          `${ms(b.median)}${ratio(b.median / baseline.large.median)}` +
          `${ratio(b.median / a.median)}${ratio(b.min / a.min)}${b.min / a.min > 15 ? ' ✗' : ''}\n`,
      );
    } catch (error) {
      process.stdout.write(`${name.padEnd(26)} failed: ${(error as Error).message}\n`);
    }
  }
  process.stdout.write(`worst 40k/4k of the minimum: ${worst.toFixed(1)} (goal ≤ 15)\n`);

  if (oldIndex < 0 && !only) {
    // A realistic answer: paragraphs with emphasis and links, a list, a fenced block.
    const section =
      'Here is **the plan** with a [link](https://example.com/docs) and `code`.\n\n' +
      '- first step with *emphasis*\n- second step\n  - nested detail\n\n' +
      '```ts\nconst total = items.reduce((sum, item) => sum + item.price, 0);\n```\n\n';
    const answer = fit(section, large);
    const deltas: string[] = [];
    for (let end = 50; end < answer.length + 50; end += 50) deltas.push(answer.slice(0, end));
    const cpuMs = (run: () => void) => {
      const before = process.cpuUsage();
      run();
      const used = process.cpuUsage(before);
      return (used.user + used.system) / 1000;
    };
    const stream = new IncrementalParser();
    const incrementalMs = cpuMs(() => {
      for (const text of deltas) stream.parse(text);
    });
    let wholeChars = 0;
    const wholeMs = cpuMs(() => {
      for (const text of deltas) {
        markdownParser.parse(text, {});
        wholeChars += text.length;
      }
    });
    process.stdout.write(
      `streaming a ${large}-char answer in ${deltas.length} deltas of 50 chars (parse only, CPU ms):\n` +
        `  incremental: ${stream.parsedChars} chars parsed (${(stream.parsedChars / large).toFixed(1)}× the answer), ${incrementalMs.toFixed(0)} ms\n` +
        `  whole text per delta: ${wholeChars} chars parsed (${(wholeChars / large).toFixed(1)}×), ${wholeMs.toFixed(0)} ms\n`,
    );
  }
  process.stdout.write(
    `load average at the end ${loadavg()
      .map((x) => x.toFixed(1))
      .join(' ')}\n`,
  );
}
