import { useT } from '../i18n';
import { DIRECT_WARNING_ID } from './EditingBar';

export type EditMode = 'direct' | 'suggest';

/**
 * The Office's two ways of editing: suggesting (its typing becomes an amendment of the Office, the
 * default while a round is open) or editing directly (corrections that change the official text at once,
 * audited). Two pressed/unpressed buttons: the state is said in words, not shown by colour.
 */
export function EditModeToggle({ mode, onChange }: { mode: EditMode; onChange: (mode: EditMode) => void }) {
  const t = useT();
  return (
    <fieldset className="mode-toggle" data-testid="edit-mode" data-mode={mode}>
      <legend className="visually-hidden">{t('mode.label')}</legend>
      {(['suggest', 'direct'] as const).map((m) => (
        <button
          key={m}
          type="button"
          className="mode-toggle__option"
          aria-pressed={mode === m}
          data-mode={m}
          title={m === 'direct' ? t('mode.directConfirm') : undefined}
          aria-describedby={m === 'direct' && mode === 'direct' ? DIRECT_WARNING_ID : undefined}
          onClick={() => onChange(m)}
        >
          {t(m === 'direct' ? 'mode.direct' : 'mode.suggest')}
        </button>
      ))}
    </fieldset>
  );
}
