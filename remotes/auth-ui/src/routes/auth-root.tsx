import type { MountProps } from '@atrium/contracts';
import { AccountPage } from './account-page.js';
import { SignInPage } from './sign-in-page.js';

/** The shell mounts this remote twice: at `/login` and at `/account`. */
export function AuthRoot(props: MountProps) {
  return props.basePath === '/account' ? <AccountPage {...props} /> : <SignInPage {...props} />;
}
