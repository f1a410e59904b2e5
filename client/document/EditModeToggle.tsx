import { useT } from '../i18n';

export type EditMode = 'direct' | 'suggest';

/**
 * The Office edits the official text directly by default; this switch makes its edits tracked
 * suggestions instead. Two pressed/unpressed buttons: the state is said in words, not shown by colour.
 */
export function EditModeToggle({ mode, onChange }: { mode: EditMode; onChange: (mode: EditMode) => void }) {
  const t = useT();
  return (
    <fieldset className="mode-toggle" data-testid="edit-mode">
      <legend className="visually-hidden">{t('mode.label')}</legend>
      {(['direct', 'suggest'] as const).map((m) => (
        <button
          key={m}
          type="button"
          className="mode-toggle__option"
          aria-pressed={mode === m}
          data-mode={m}
          onClick={() => onChange(m)}
        >
          {t(m === 'direct' ? 'mode.direct' : 'mode.suggest')}
        </button>
      ))}
    </fieldset>
  );
}
