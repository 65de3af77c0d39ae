import { roleNames } from '@atrium/shared';

export const en = {
  brand: 'Atrium',
  nav: {
    chat: 'Chat',
    uploads: 'Documents',
    admin: 'Admin',
    account: 'Account',
    signIn: 'Sign in',
    signOut: 'Sign out',
  },
  language: 'Language',
  signedInAs: 'Signed in as {{email}} ({{role}})',
  roles: roleNames.en,
  remote: {
    loading: 'Loading {{name}}…',
    failedTitle: '{{name}} is unavailable right now',
    failedBody: 'The rest of Atrium keeps working. You can try again.',
    retry: 'Retry',
    fallbackNotice: 'Showing the previous version of {{name}}.',
  },
  forbidden: { title: 'You do not have access to this page', body: 'Ask an administrator if you need it.' },
  notFound: { title: 'Page not found', home: 'Go to the start page' },
  skipToContent: 'Skip to content',
};
export type ShellMessages = typeof en;
