import type { LoadReport, RemoteModule, RemoteName } from '@atrium/contracts';
import { shellContracts } from '@atrium/contracts/values';

export class RemoteLoadError extends Error {
  constructor(
    readonly outcome: Exclude<LoadReport['outcome'], 'ok'>,
    message: string,
  ) {
    super(message);
    this.name = 'RemoteLoadError';
  }
}

/** Refuses a module that is not a RemoteModule, or speaks a contract major this shell can't mount. */
export function checkContract(name: RemoteName, module: RemoteModule | null): RemoteModule {
  if (!module || typeof module.Root !== 'function') {
    throw new RemoteLoadError('mount_error', `${name} did not export a mountable module`);
  }
  const major = Number(module.contract.split('@')[1]);
  if (!module.contract.startsWith(`${name}@`) || !shellContracts[name].includes(major)) {
    throw new RemoteLoadError(
      'contract_mismatch',
      `${name} speaks ${module.contract}; this shell mounts ${name}@${shellContracts[name].join('|')}`,
    );
  }
  return module;
}
