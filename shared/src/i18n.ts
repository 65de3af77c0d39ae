import type { Locale, RemoteModule } from '@atrium/contracts';
import i18next from 'i18next';

/**
 * Registers a remote's own namespace on the shell's (singleton) i18next instance, replacing
 * whatever an earlier build of that remote registered: the namespace is named after the
 * remote, not the build, and the build being mounted is the one whose strings must show.
 */
export function registerTranslations(module: Pick<RemoteModule, 'namespace' | 'translations'>): void {
  for (const [locale, resources] of Object.entries(module.translations) as [Locale, object][]) {
    i18next.removeResourceBundle(locale, module.namespace);
    i18next.addResourceBundle(locale, module.namespace, resources);
  }
}
