export interface Device {
  browser: string;
  os: string;
}

const browsers: [RegExp, string][] = [
  [/Edg(e|A|iOS)?\//, 'Edge'],
  [/OPR\/|Opera/, 'Opera'],
  [/Firefox\/|FxiOS\//, 'Firefox'],
  [/Chrome\/|CriOS\//, 'Chrome'],
  [/Safari\//, 'Safari'],
];

const systems: [RegExp, string][] = [
  [/Windows/, 'Windows'],
  [/iPhone|iPad|iPod/, 'iOS'],
  [/Android/, 'Android'],
  [/Mac OS X|Macintosh/, 'macOS'],
  [/CrOS/, 'ChromeOS'],
  [/Linux/, 'Linux'],
];

/** Browser and system names from a user agent; order matters because most browsers also claim to be Safari. */
export function describeDevice(userAgent: string | null): Device | null {
  if (!userAgent) return null;
  const browser = browsers.find(([pattern]) => pattern.test(userAgent))?.[1];
  const os = systems.find(([pattern]) => pattern.test(userAgent))?.[1];
  return browser && os ? { browser, os } : null;
}

/** A user agent no browser pattern matched (a CLI, a script), cut to its product token. */
export function shortAgent(userAgent: string): string {
  const product = userAgent.split(/\s/)[0] ?? userAgent;
  return product.length > 40 ? `${product.slice(0, 39)}…` : product;
}
