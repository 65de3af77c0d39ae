import { commonConfig, type Mode } from '@atrium/tooling/rspack-common';
import { sharedSplitChunks } from '@atrium/tooling/shared-singletons';
import { ModuleFederationPlugin } from '@module-federation/enhanced/rspack';
import { type Configuration, rspack } from '@rspack/core';
import { federation } from './module-federation.config.ts';

export default (_env: unknown, argv: { mode?: Mode }): Configuration => {
  const mode = argv.mode ?? 'production';
  const base = commonConfig(mode, import.meta.dirname);
  return {
    ...base,
    output: { ...base.output, publicPath: '/shell/', uniqueName: federation.name },
    optimization: { ...base.optimization, splitChunks: sharedSplitChunks() },
    plugins: [
      ...(base.plugins ?? []),
      new ModuleFederationPlugin(federation),
      new rspack.HtmlRspackPlugin({
        template: './src/index.html',
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
