import type { Locale } from '@atrium/contracts';
import { locales } from '@atrium/contracts/values';
import i18next from 'i18next';
import { initReactI18next } from 'react-i18next';
import { en } from './en.js';
import { zhCN } from './zh-CN.js';

const storageKey = 'atrium.locale';

/** The saved choice (a cache of the user's preference), else the browser's language. */
function initialLocale(): Locale {
  const saved = localStorage.getItem(storageKey);
  if (saved && (locales as readonly string[]).includes(saved)) return saved as Locale;
  return navigator.language.toLowerCase().startsWith('zh') ? 'zh-CN' : 'en';
}

export async function initI18n(): Promise<typeof i18next> {
  await i18next.use(initReactI18next).init({
    lng: initialLocale(),
    fallbackLng: 'en',
    supportedLngs: [...locales],
    ns: ['shell'],
    defaultNS: 'shell',
    resources: { en: { shell: en }, 'zh-CN': { shell: zhCN } },
    interpolation: { escapeValue: false },
  });
  document.documentElement.lang = i18next.language;
  return i18next;
}

export async function changeLocale(locale: Locale): Promise<void> {
  localStorage.setItem(storageKey, locale);
  await i18next.changeLanguage(locale);
  document.documentElement.lang = locale;
}
