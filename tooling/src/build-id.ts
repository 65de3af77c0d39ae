import { createHash } from 'node:crypto';
import type { Compilation, Compiler } from '@rspack/core';

/**
 * Stands for the build id wherever the config needs it before the build exists (`uniqueName`,
 * the Module Federation build version). As long as the id (16 characters) and alphanumeric, so
 * rspack keeps it verbatim in identifiers and source maps keep their columns.
 */
export const buildIdPlaceholder = 'ATRIUMBUILDIDXXX';

const name = 'AtriumBuildIdPlugin';

/** The id of one build: 16 hex of the sha256 over every emitted file (source maps aside), names and bytes. */
function hashAssets(compilation: Compilation, previousIds: ReadonlySet<string>): string {
  const hash = createHash('sha256');
  const files = compilation
    .getAssets()
    .map((asset) => asset.name)
    .filter((file) => !file.endsWith('.map'))
    .sort();
  for (const file of files) {
    const text = normalise(compilation.getAsset(file)!.source.source().toString(), previousIds);
    hash.update(file).update('\0').update(text).update('\0');
  }
  return hash.digest('hex').slice(0, buildIdPlaceholder.length);
}

/** Puts the placeholder back where an earlier build of this watch session wrote its id. */
function normalise(text: string, previousIds: ReadonlySet<string>): string {
  let out = text;
  for (const id of previousIds) out = out.replaceAll(id, buildIdPlaceholder);
  return out;
}

/**
 * Gives every build an id derived from its content and writes it over {@link buildIdPlaceholder}
 * in every file: the same sources give the same id, any change gives another. Two builds of
 * one remote can then never share a chunk-loading global, a `data-rspack` script key or a
 * Module Federation instance, which the runtime would otherwise reuse by name (issue 8, item 1).
 *
 * The id is computed after minification and source maps and before real content hashes and
 * SRI (stage SUMMARIZE), so file names and the chunks' sha384 in the entry describe the final
 * bytes. Files added later (`mf-manifest.json`, `mf-stats.json`) get it at stage REPORT. In
 * watch mode rspack hands unchanged files over from the previous build with that build's id
 * already in them; those ids are put back to the placeholder before hashing, so a watch
 * rebuild gets exactly the id a fresh build of the same sources gets.
 */
export class BuildIdPlugin {
  readonly #written = new Set<string>();

  apply(compiler: Compiler): void {
    const { Compilation, sources } = compiler.rspack;
    compiler.hooks.thisCompilation.tap(name, (compilation) => {
      let id = buildIdPlaceholder;
      const stamp = (ids: ReadonlySet<string>) => {
        for (const asset of compilation.getAssets()) {
          const before = asset.source.source().toString();
          const after = normalise(before, ids).replaceAll(buildIdPlaceholder, id);
          if (after !== before) compilation.updateAsset(asset.name, new sources.RawSource(after));
        }
      };
      compilation.hooks.processAssets.tap({ name, stage: Compilation.PROCESS_ASSETS_STAGE_SUMMARIZE }, () => {
        id = hashAssets(compilation, this.#written);
        stamp(this.#written);
        this.#written.add(id);
      });
      compilation.hooks.processAssets.tap({ name, stage: Compilation.PROCESS_ASSETS_STAGE_REPORT }, () =>
        stamp(new Set()),
      );
    });
  }
}
