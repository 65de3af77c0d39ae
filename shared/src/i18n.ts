import type { Locale, RemoteModule } from '@atrium/contracts';
import i18next from 'i18next';

/** Registers a remote's own namespace on the shell's (singleton) i18next instance. */
export function registerTranslations(module: Pick<RemoteModule, 'namespace' | 'translations'>): void {
  for (const [locale, resources] of Object.entries(module.translations) as [Locale, object][]) {
    if (!i18next.hasResourceBundle(locale, module.namespace)) {
      i18next.addResourceBundle(locale, module.namespace, resources, true, false);
    }
  }
}
