import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { commonConfig, type Mode } from '@atrium/tooling/rspack-common';
import { type Configuration, rspack } from '@rspack/core';

const repoRoot = join(import.meta.dirname, '..', '..');
const chatCoreVersion = (
  JSON.parse(readFileSync(join(repoRoot, 'remotes', 'chat-core', 'package.json'), 'utf8')) as { version: string }
).version;

/**
 * The shell with chat-core linked in statically: one build, no Module Federation plugin, the
 * same swc/minify/content-hash/SRI preset. Its output is laid out like the repo root
 * (`dist/shell/dist`), so a BFF started with `ATRIUM_STATIC_DIR=bench/monolith/dist` serves it
 * exactly as it serves the real shell (same compression, headers and boot payload).
 */
export default (_env: unknown, argv: { mode?: Mode } = {}): Configuration => {
  const mode = argv.mode ?? 'production';
  const base = commonConfig(mode, import.meta.dirname);
  return {
    ...base,
    entry: { main: './src/index.tsx' },
    output: { ...base.output, path: join(import.meta.dirname, 'dist', 'shell', 'dist'), publicPath: '/shell/' },
    plugins: [
      ...(base.plugins ?? []),
      new rspack.DefinePlugin({ __REMOTE_VERSION__: JSON.stringify(chatCoreVersion) }),
      new rspack.HtmlRspackPlugin({
        template: join(repoRoot, 'shell', 'src', 'index.html'),
        inject: 'body',
        scriptLoading: 'defer',
        minify: false,
      }),
    ],
    module: {
      rules: [...(base.module?.rules ?? []), { test: /\.css$/, type: 'css' }],
    },
  };
};
