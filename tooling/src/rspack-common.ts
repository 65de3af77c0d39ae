import { type Configuration, rspack } from '@rspack/core';
import { reactRouterAlias } from './shared-singletons.js';

export type Mode = 'production' | 'development';

/** Loaders and output settings every federated build (host and remotes) uses. */
export function commonConfig(mode: Mode, packageDir: string): Configuration {
  const production = mode === 'production';
  return {
    mode,
    context: packageDir,
    devtool: production ? false : 'cheap-module-source-map',
    entry: { main: './src/index.ts' },
    resolve: {
      extensions: ['.ts', '.tsx', '.js'],
      extensionAlias: { '.js': ['.ts', '.tsx', '.js'] },
      alias: reactRouterAlias(packageDir),
    },
    module: {
      rules: [
        {
          test: /\.tsx?$/,
          exclude: /node_modules/,
          loader: 'builtin:swc-loader',
          options: {
            jsc: {
              parser: { syntax: 'typescript', tsx: true },
              transform: { react: { runtime: 'automatic', development: !production } },
              target: 'es2022',
            },
          },
          type: 'javascript/auto',
        },
      ],
    },
    output: {
      path: `${packageDir}/dist`,
      clean: true,
      filename: production ? '[name].[contenthash:12].js' : '[name].js',
      chunkFilename: production ? '[name].[contenthash:12].js' : '[name].js',
      // Chunk scripts carry `integrity` only when loaded with CORS.
      crossOriginLoading: 'anonymous',
    },
    optimization: { minimize: production, moduleIds: 'deterministic', chunkIds: 'deterministic' },
    plugins: [
      new rspack.DefinePlugin({ 'process.env.NODE_ENV': JSON.stringify(mode) }),
      new rspack.SubresourceIntegrityPlugin({ hashFuncNames: ['sha384'], enabled: true }),
    ],
    performance: { hints: false },
  };
}
