import { useId } from 'react';
import { useT } from '../i18n';

export interface OwnerChoice {
  key: string;
  label: string;
}

/**
 * Whose suggestions a government delegate types: their State's, or a regional group's their State is a
 * member of. Only the choice of mark: the collaboration server refuses any key the user does not speak for.
 */
export function OnBehalfOfPicker({
  owners,
  value,
  onChange,
}: {
  owners: readonly OwnerChoice[];
  value: string;
  onChange: (key: string) => void;
}) {
  const t = useT();
  const id = useId();
  return (
    <span className="on-behalf-of">
      <label htmlFor={id}>{t('form.onBehalfOf')}</label>
      <select id={id} data-testid="suggest-on-behalf-of" value={value} onChange={(e) => onChange(e.target.value)}>
        {owners.map((o) => (
          <option key={o.key} value={o.key}>
            {o.label}
          </option>
        ))}
      </select>
    </span>
  );
}
