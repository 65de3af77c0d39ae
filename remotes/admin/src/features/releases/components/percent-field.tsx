import { useId } from 'react';
import { useTranslation } from 'react-i18next';

interface PercentFieldProps {
  value: number;
  min: number;
  onChange(percent: number): void;
  disabled?: boolean;
  error?: string | null;
  /** Adds a slider bound to the same value. */
  slider?: boolean;
}

/** The canary share, 0/1–100, as a number input (labelled "Canary percentage") and optionally a slider. */
export function PercentField({ value, min, onChange, disabled, error, slider }: PercentFieldProps) {
  const { t } = useTranslation('admin');
  const id = useId();
  const read = (raw: string) => onChange(raw === '' ? Number.NaN : Number(raw));
  return (
    <div className="field admin-percent">
      <label htmlFor={id}>{t('action.percent')}</label>
      <div className="admin-percent-inputs">
        {slider ? (
          <input
            type="range"
            min={min}
            max={100}
            step={1}
            value={Number.isFinite(value) ? value : min}
            disabled={disabled}
            aria-label={t('canaryControl.slider')}
            onChange={(event) => read(event.target.value)}
          />
        ) : null}
        <input
          id={id}
          type="number"
          inputMode="numeric"
          min={min}
          max={100}
          step={1}
          value={Number.isFinite(value) ? value : ''}
          disabled={disabled}
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? `${id}-error` : undefined}
          onChange={(event) => read(event.target.value)}
        />
        <span aria-hidden="true">%</span>
      </div>
      {error ? (
        <small id={`${id}-error`} className="field-error" role="alert" style={{ color: 'var(--danger)' }}>
          {error}
        </small>
      ) : null}
    </div>
  );
}

export function validPercent(value: number, min: number): boolean {
  return Number.isInteger(value) && value >= min && value <= 100;
}
