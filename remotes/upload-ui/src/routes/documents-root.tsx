import type { MountProps } from '@atrium/contracts';
import { Route, Routes } from 'react-router';
import { DocumentsPage } from './documents-page.js';

/** Routes relative to the shell's `/uploads/*`: the library, or the library with `:documentId` highlighted. */
export function DocumentsRoot(props: MountProps) {
  return (
    <Routes>
      <Route path=":documentId?" element={<DocumentsPage {...props} />} />
    </Routes>
  );
}
