import { useCallback, useState } from 'react';

export type DocumentActionName = 'cancel' | 'retry' | 'reindex' | 'changeAudience' | 'delete';

/** One action at a time on one document: which is running, and the last one's failure. */
export function useDocumentAction() {
  const [running, setRunning] = useState<DocumentActionName | null>(null);
  const [failure, setFailure] = useState<{ action: DocumentActionName; error: unknown } | null>(null);

  const run = useCallback(async (action: DocumentActionName, work: () => Promise<void>): Promise<boolean> => {
    setRunning(action);
    setFailure(null);
    try {
      await work();
      return true;
    } catch (error) {
      setFailure({ action, error });
      return false;
    } finally {
      setRunning(null);
    }
  }, []);

  return { running, failure, run, clearFailure: useCallback(() => setFailure(null), []) };
}
