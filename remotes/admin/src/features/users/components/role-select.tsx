import { type Role, roles } from '@atrium/contracts';
import type { SelectHTMLAttributes } from 'react';
import { useTranslation } from 'react-i18next';

type RoleSelectProps = Omit<SelectHTMLAttributes<HTMLSelectElement>, 'value' | 'onChange'> & {
  value: Role;
  onChange(role: Role): void;
};

export function RoleSelect({ value, onChange, ...select }: RoleSelectProps) {
  const { t } = useTranslation('admin');
  return (
    <select {...select} value={value} onChange={(event) => onChange(event.target.value as Role)}>
      {roles.map((role) => (
        <option key={role} value={role}>
          {t(`roles.${role}`)}
        </option>
      ))}
    </select>
  );
}
