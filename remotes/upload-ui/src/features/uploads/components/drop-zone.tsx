import { type DragEvent, useEffect, useId, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { acceptAttribute } from '../formats.js';

const carriesFiles = (event: { dataTransfer: DataTransfer | null }) =>
  event.dataTransfer?.types.includes('Files') ?? false;

/**
 * Files dropped here or chosen with the picker (a real `<input type="file">`, so it is
 * reachable by keyboard and labelled "Choose files"). A file dropped beside the zone is
 * ignored instead of making the browser open it and leave the app.
 */
export function DropZone({ onFiles, hint }: { onFiles(files: File[]): void; hint: string }) {
  const { t } = useTranslation('uploads');
  const inputId = useId();
  const hintId = useId();
  const [dragging, setDragging] = useState(false);
  const depth = useRef(0);

  useEffect(() => {
    const swallow = (event: globalThis.DragEvent) => {
      if (carriesFiles(event)) event.preventDefault();
    };
    window.addEventListener('dragover', swallow);
    window.addEventListener('drop', swallow);
    return () => {
      window.removeEventListener('dragover', swallow);
      window.removeEventListener('drop', swallow);
    };
  }, []);

  const enter = (event: DragEvent) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    depth.current += 1;
    setDragging(true);
  };
  const over = (event: DragEvent) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = 'copy';
  };
  const leave = () => {
    depth.current = Math.max(0, depth.current - 1);
    if (depth.current === 0) setDragging(false);
  };
  const drop = (event: DragEvent) => {
    if (!carriesFiles(event)) return;
    event.preventDefault();
    depth.current = 0;
    setDragging(false);
    const files = [...event.dataTransfer.files];
    if (files.length) onFiles(files);
  };

  return (
    // biome-ignore lint/a11y/noStaticElementInteractions: dropping is a pointer shortcut; the file input inside is the keyboard path
    <div
      className="uploads-drop"
      data-dragging={dragging || undefined}
      data-testid="upload-drop-zone"
      onDragEnter={enter}
      onDragOver={over}
      onDragLeave={leave}
      onDrop={drop}
    >
      <p className="uploads-drop-title">{t('upload.dropHere')}</p>
      <p className="uploads-drop-or">{t('upload.or')}</p>
      <input
        id={inputId}
        type="file"
        multiple
        accept={acceptAttribute}
        className="visually-hidden uploads-file-input"
        aria-describedby={hintId}
        onChange={(event) => {
          const files = [...(event.target.files ?? [])];
          // Cleared so that choosing the same file again (after a failure) fires `change` again.
          event.target.value = '';
          if (files.length) onFiles(files);
        }}
      />
      <label htmlFor={inputId} className="atrium-btn atrium-btn-primary uploads-choose">
        {t('upload.choose')}
      </label>
      <p id={hintId} className="uploads-hint">
        {hint}
      </p>
    </div>
  );
}
