import type { Locale, MeResponse, OkResponse, Permission } from '@atrium/contracts';
import { flagKeys, locales, roleHas, trustedResponse } from '@atrium/contracts/values';
import { Button } from '@atrium/shared';
import { useTranslation } from 'react-i18next';
import { NavLink, Outlet, useNavigate } from 'react-router';
import { changeLocale } from '../i18n/index.js';
import { refreshSession } from '../session/session.js';
import { useShell, useShellState } from './shell-context.js';

/** Each entry needs its permission and, when it names one, a feature flag that is on for the user. */
const navItems: { to: string; label: 'chat' | 'uploads' | 'admin'; permission: Permission; flag?: string }[] = [
  { to: '/chat', label: 'chat', permission: 'chat:use' },
  { to: '/uploads', label: 'uploads', permission: 'uploads:use', flag: flagKeys.uploads },
  { to: '/admin', label: 'admin', permission: 'admin:view' },
];

const shows = (me: MeResponse, item: (typeof navItems)[number]) =>
  roleHas(me.user.role, item.permission) && (item.flag === undefined || me.flags[item.flag] !== false);

const localeNames: Record<Locale, string> = { en: 'English', 'zh-CN': '简体中文' };

export function Layout() {
  const { t, i18n } = useTranslation('shell');
  const services = useShell();
  const me = useShellState((s) => s.me);
  const navigate = useNavigate();

  async function signOut() {
    await services.api.send('POST', '/api/auth/sign-out', {}, trustedResponse<OkResponse>()).catch(() => undefined);
    await refreshSession(services.api, services.store).catch(() => undefined);
    services.bus.emit('session.changed', { signedIn: false });
    navigate('/login');
  }

  return (
    <div className="shell">
      <a className="skip-link" href="#main">
        {t('skipToContent')}
      </a>
      <header className="shell-header">
        <NavLink to="/" className="brand">
          {t('brand')}
        </NavLink>
        <nav aria-label="main">
          {me
            ? navItems
                .filter((item) => shows(me, item))
                .map((item) => (
                  <NavLink key={item.to} to={item.to}>
                    {t(`nav.${item.label}`)}
                  </NavLink>
                ))
            : null}
        </nav>
        {me ? (
          <span className="whoami" data-testid="whoami">
            {t('signedInAs', { email: me.user.email, role: t(`roles.${me.user.role}`) })}
          </span>
        ) : null}
        <div className="shell-tools">
          <label>
            <span className="visually-hidden">{t('language')}</span>
            <select
              aria-label={t('language')}
              value={i18n.language}
              onChange={(event) => {
                const locale = event.target.value as Locale;
                void changeLocale(locale).then(() => services.bus.emit('locale.changed', { locale }));
              }}
            >
              {locales.map((locale) => (
                <option key={locale} value={locale}>
                  {localeNames[locale]}
                </option>
              ))}
            </select>
          </label>
          {me ? (
            <>
              <NavLink to="/account">{t('nav.account')}</NavLink>
              <Button variant="secondary" onClick={() => void signOut()}>
                {t('nav.signOut')}
              </Button>
            </>
          ) : (
            <NavLink to="/login">{t('nav.signIn')}</NavLink>
          )}
        </div>
      </header>
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </div>
  );
}
