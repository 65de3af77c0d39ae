import { ApiRequestError } from '@atrium/shared';
import { useCallback, useState } from 'react';
import { useErrorMessage } from '../../../i18n/error-message.js';

export interface WriteFailure {
  message: string;
  /** The shell can't mount that contract: the server's message explains which it can. */
  incompatible: boolean;
}

/**
 * One registry write at a time: `pending` disables every action while a request runs; the
 * outcome is a notice (`role="status"`) or a failure (`role="alert"`), never both.
 */
export function useReleaseWrite(onDone: () => void) {
  const errorMessage = useErrorMessage();
  const [pending, setPending] = useState(false);
  const [notice, setNotice] = useState<string | null>(null);
  const [failure, setFailure] = useState<WriteFailure | null>(null);

  const run = useCallback(
    async (write: () => Promise<unknown>, success: string): Promise<boolean> => {
      setPending(true);
      setNotice(null);
      setFailure(null);
      try {
        await write();
        setNotice(success);
        onDone();
        return true;
      } catch (error) {
        setFailure({
          message: errorMessage(error),
          incompatible: error instanceof ApiRequestError && error.code === 'registry.contract_incompatible',
        });
        return false;
      } finally {
        setPending(false);
      }
    },
    [errorMessage, onDone],
  );

  const reset = useCallback(() => {
    setNotice(null);
    setFailure(null);
  }, []);
  return { pending, notice, failure, run, reset };
}
