import { type RemoteName, shellContracts } from '@atrium/contracts';
import { AppError } from '../errors.js';

export function contractMajor(contract: string): number {
  return Number(contract.slice(contract.lastIndexOf('@') + 1));
}

/** The contract a version declares must name its own remote: `chat-core@2` for chat-core. */
export function assertContractOf(remote: RemoteName, contract: string): void {
  if (contract.slice(0, contract.lastIndexOf('@')) !== remote) {
    throw new AppError('request.invalid', 400, `The contract of a ${remote} version must be ${remote}@<major>.`, [
      { path: 'contract', message: `expected ${remote}@<major>, got ${contract}` },
    ]);
  }
}

/** The compatibility gate: nothing reaches users that the running shell cannot mount. */
export function assertMountable(
  remote: RemoteName,
  version: { version: string; contract: string },
  mountable: Record<RemoteName, number[]> = shellContracts,
): void {
  const major = contractMajor(version.contract);
  const supported = mountable[remote];
  if (supported.includes(major)) return;
  const list = supported.map((m) => `${remote}@${m}`).join(', ');
  throw new AppError(
    'registry.contract_incompatible',
    409,
    `${remote} ${version.version} speaks ${version.contract}, but the running shell mounts ${list} only — release a shell that supports it first.`,
  );
}
